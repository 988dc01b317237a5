namespace CorsConformance.Harness;

/// <summary>
/// An input file the harness cannot use (a report.json, a known-deviations file): the message names the file and, where
/// there is one, the entry, the field and the line. Commands print it and exit 2, before writing anything.
/// </summary>
public class InputFileException(string message, Exception? inner = null) : Exception(message, inner);
