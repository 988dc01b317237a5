using System.Text.Json.Nodes;
using CorsConformance.Cli;

namespace CorsConformance.Harness.Tests.BadInputs;

/// <summary>
/// What the bad-input fixtures share: the command line run in process, a temporary folder of their own per test, and the
/// refusal every bad input must get — exit 2, the problem named, no stack trace ("   at ") and no unhandled exception.
/// </summary>
public abstract class CommandInputTests(string folderPrefix)
{
    /// <summary>This test's own temporary folder, removed after it.</summary>
    protected string Folder { get; private set; } = "";

    [SetUp]
    public void CreateFolder() => Folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Folder, recursive: true);

    protected static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = await Commands.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Sets the field of a report.json at a path such as <c>history[0].interop.judged</c> (a new list item with
    /// <c>[+]</c>).</summary>
    protected static JsonNode Set(JsonNode root, string field, string value)
    {
        var path = field.Replace("[", ".[").Split('.');
        var owner = path[..^1].Aggregate(root, (node, part) => part.StartsWith('[') ? node[int.Parse(part[1..^1])]! : node[part]!);
        var last = path[^1];
        if (last == "[+]") owner.AsArray().Add(JsonNode.Parse(value));
        else if (last.StartsWith('[')) owner[int.Parse(last[1..^1])] = JsonNode.Parse(value);
        else owner[last] = JsonNode.Parse(value);
        return root;
    }

    /// <summary>Exit 2, each of <paramref name="said"/> in the error, and nothing of .NET's own.</summary>
    protected static void AssertRefused((int Code, string Output, string Error) result, params string[] said)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Code, Is.EqualTo(2), result.Error + result.Output);
            foreach (var words in said) Assert.That(result.Error, Does.Contain(words), result.Error);
            Assert.That(result.Error, Does.Not.Contain("   at ").And.Not.Contain("Unhandled exception"));
        }
    }
}
