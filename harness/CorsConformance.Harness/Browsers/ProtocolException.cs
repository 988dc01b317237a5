using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Browsers;

/// <summary>A browser's automation protocol (CDP, WebDriver BiDi) answered a command with an error, or the connection
/// closed before it answered.</summary>
public sealed class ProtocolException(string message) : Exception(message);
