using System.Text;
using CorsConformance.Harness.Reports;
using CorsConformance.Harness.Verdicts;
using CorsConformance.Specs.Catalog;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.BadInputs;

/// <summary>
/// A bounded, deterministic slice of the fuzz campaign's byte mutations, held as a test: each reader of an input file (case
/// file, known deviations, report.json, policy) is given its seed cut at many points and with a NUL, a byte that is not
/// UTF-8, a lone UTF-16 surrogate, a line twice or a line dropped, at fixed places. Each mutant must be read, or refused
/// with the reader's own error naming the file — never another exception (a stack trace at the command line) — each
/// reader's slice (100 mutants) runs in a second or two.
/// </summary>
public sealed class MutatedInputTests
{
    private const int Cuts = 40;
    private const int Insertions = 12;

    private static string Seed(params string[] path) =>
        File.ReadAllText(Path.Combine([RepositoryLayout.Root() ?? throw new InvalidOperationException("run from a clone"), .. path]));

    /// <summary>The mutants of a text, each named for the failure message: cut at <see cref="Cuts"/> points, and at
    /// <see cref="Insertions"/> fixed places a NUL, U+FFFD (what a byte that is not UTF-8 became), a lone surrogate, a
    /// line repeated and a line dropped.</summary>
    private static IEnumerable<(string Name, string Text)> Mutants(string text)
    {
        for (var i = 0; i < Cuts; i++)
        {
            var at = text.Length * i / Cuts;
            yield return ($"cut at {at}", text[..at]);
        }
        var random = new Random(20261206);
        var lines = text.Split('\n');
        for (var i = 0; i < Insertions; i++)
        {
            var at = random.Next(text.Length);
            yield return ($"NUL at {at}", text.Insert(at, "\0"));
            yield return ($"U+FFFD at {at}", text.Insert(at, "\uFFFD"));
            yield return ($"lone surrogate at {at}", text.Insert(at, "\uD800"));
            var line = random.Next(lines.Length);
            yield return ($"line {line + 1} twice", string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))));
            yield return ($"line {line + 1} dropped", string.Join('\n', lines.Take(line).Concat(lines.Skip(line + 1))));
        }
    }

    private static void EachMutantIsReadOrRefused(string seed, string file, Action<string> read, Func<Exception, bool> refusal)
    {
        var unexpected = new List<string>();
        var count = 0;
        foreach (var (name, text) in Mutants(seed))
        {
            count++;
            try
            {
                read(text);
            }
            catch (Exception e) when (refusal(e))
            {
                if (!e.Message.Contains(file, StringComparison.Ordinal)) unexpected.Add($"{name}: the error does not name {file}: {e.Message}");
            }
            catch (Exception e)
            {
                unexpected.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.That(unexpected, Is.Empty, $"{count} mutants");
    }

    [Test]
    public void Case_file_mutants_are_read_or_refused_naming_the_file() =>
        EachMutantIsReadOrRefused(Seed("specs", "catalog", "cases", "redirects.yaml"), "mine.yaml",
            text => CaseFileReader.Read(text, "mine.yaml"), e => e is CaseFileException);

    [Test]
    public void Known_deviations_mutants_are_read_or_refused_naming_the_file() =>
        EachMutantIsReadOrRefused(Seed("fixtures", "deviations", "known-deviations.yaml"), "devs.yaml",
            text => KnownDeviations.Parse(text, "devs.yaml"), e => e is InputFileException);

    [Test]
    public void Report_mutants_are_read_or_refused_naming_the_file() =>
        EachMutantIsReadOrRefused(Seed("docs", "sample-report", "report.json"), "report.json",
            text => ReportFile.Parse(text, "report.json"), e => e is ReportFileException);

    [Test]
    public void Policy_mutants_are_read_or_refused_naming_the_file() =>
        EachMutantIsReadOrRefused(Seed("fixtures", "login", "policy.json"), "policy.json",
            text => PolicyReader.Read(text, "policy.json"), e => e is PolicyException);

    /// <summary>The same bytes decoded as the readers get them: a file that is not UTF-8 is refused by InputText before a
    /// reader sees it, naming the file.</summary>
    [Test]
    public void Bytes_that_are_not_UTF8_are_refused_before_any_reader()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mutant-{Guid.NewGuid():N}.yaml");
        try
        {
            var seed = Encoding.UTF8.GetBytes(Seed("specs", "catalog", "cases", "simple.yaml"));
            var random = new Random(20261206);
            for (var i = 0; i < Insertions; i++)
            {
                var at = random.Next(seed.Length);
                File.WriteAllBytes(path, [.. seed[..at], 0xFF, .. seed[at..]]);
                Assert.That(() => InputText.Read(path), Throws.InstanceOf<InputFileException>().With.Message.Contains(path).And.Message.Contains("is not UTF-8"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
