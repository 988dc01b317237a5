using System.Diagnostics;

namespace CorsConformance.Harness;

/// <summary>The last lines a started process wrote (stdout and stderr together), kept to say why it failed or hung.</summary>
public sealed class ProcessOutputTail
{
    private readonly Queue<string> _lines = new();
    private readonly int _keep;

    private ProcessOutputTail(int keep) => _keep = keep;

    /// <summary>Starts reading both of the process's redirected streams, keeping the last <paramref name="keep"/> lines.</summary>
    public static ProcessOutputTail Attach(Process process, int keep = 20)
    {
        var tail = new ProcessOutputTail(keep);
        process.OutputDataReceived += (_, e) => tail.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => tail.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tail;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > _keep) _lines.Dequeue();
        }
    }

    public override string ToString()
    {
        lock (_lines) return string.Join(" | ", _lines);
    }
}
