using System.CommandLine;
using System.Text.Json;
using CorsConformance.Specs.Fetch;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance oracle`: what the Fetch Standard expects for each case of a case file, without a browser.</summary>
internal static class OracleCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE.yaml") { Description = "A case file (specs/catalog/README.md); more than one may be given.", Arity = ArgumentArity.ZeroOrMore };
        files.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !File.Exists(t.Value))) result.AddError(SharedOptions.NotAFile(token.Value, "case file")!);
        });
        // `run` and `coverage` name their case files with --cases; the same words work here (a file either way, or both).
        var cases = SharedOptions.Cases();
        cases.Description = "A case file, as the FILE.yaml argument (the option `run` and `coverage` take); repeat for more.";
        var json = new Option<bool>("--json") { Description = "Print the expectations as JSON, every behaviour the standard allows in the same shape." };
        var command = new DocumentedCommand("oracle", "What the Fetch Standard expects for each case of a case file, without a browser.",
            (0, "the expectations were printed"),
            (2, "bad usage; a bad or empty case file (the file, the case, the field and the line named)"))
        {
            files, cases, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(files) is not { Length: > 0 } && result.GetValue(cases) is not { Length: > 0 })
                result.AddError("no case file: name one (oracle FILE.yaml, or oracle --cases FILE.yaml)");
        });
        command.SetAction(parse => Run([.. parse.GetValue(files)!, .. parse.GetValue(cases)!], parse.GetValue(json), parse.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(IReadOnlyList<string> files, bool json, TextWriter output)
    {
        var cases = CaseFiles.Load(files);
        var expectations = cases.Select(c => (Case: c, Expected: Oracle.Expect(c))).ToList();
        if (json)
        {
            // The expectation, then (where the standard leaves a choice) every other behaviour it allows, in the same shape.
            // Every observed field the oracle predicts (ObservedFields: the one list), then why.
            static Dictionary<string, object?> Json(Expectation e) => ObservedFields.All
                .Where(f => f.Name != "preflightCarriedCredentials")
                .Select(f => KeyValuePair.Create(f.Name, f.Expected(e) is Outcome o ? o.ToString().ToLowerInvariant() : f.Expected(e)))
                .Concat([new("choice", e.Choice), new("reason", e.Reason), new("steps", e.Steps), new("standardSteps", e.Trace.Select(t => t.Id).ToList())])
                .ToDictionary();
            output.WriteLine(JsonSerializer.Serialize(expectations.Select(x => new Dictionary<string, object?>
            {
                ["id"] = x.Case.Id,
                ["anchor"] = x.Case.AnchorUrl,
            }.Concat(Json(x.Expected)).Append(new("alternatives", x.Expected.Alternatives.Select(Json).ToList())).ToDictionary()
            ), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            return ExitCodes.Success;
        }
        foreach (var (c, e) in expectations)
        {
            output.WriteLine($"{c.Id}: {e.Outcome.ToString().ToLowerInvariant()} — {e.Reason}");
            foreach (var other in e.Alternatives)
                output.WriteLine($"    or, where {other.Choice}: {other.Outcome.ToString().ToLowerInvariant()}, preflights {other.Preflights}"
                    // …and the fields carried by name where this behaviour differs (a Referer, a cookie sent back).
                    + string.Concat(ObservedFields.Extra.Where(f => !ObservedField.Same(f.Expected(other), f.Expected(e))).Select(f => ", " + f.Show(f.Expected(other)))));
            // Then every field carried by name that the standard predicts here, in its declaration's words.
            output.WriteLine($"    preflights {e.Preflights}; Origin {e.Origin ?? "(none)"}; cookie {(e.CredentialsSent ? "sent" : "not sent")}"
                + (e.ReadableHeaders is { } r ? $"; readable [{string.Join(", ", r)}]" : "")
                + string.Concat(ObservedFields.Extra.Where(f => f.Expected(e) is not null).Select(f => "; " + f.Show(f.Expected(e)))));
        }
        return ExitCodes.Success;
    }
}
