using System.Diagnostics;
using CorsConformance.Fixtures.Middlewares;

namespace CorsConformance.Harness.Tests.Middlewares;

/// <summary>
/// The Go runtime of the middleware matrix (rs/cors): a missing toolchain is a reason to skip, said with the install
/// command; an app that does not compile is a failure, never a skip; a build is made once per content and reused.
/// </summary>
public sealed class GoRuntimeTests
{
    private static readonly GoRuntime Debian = new(["golang-go"], "Go {go}");

    /// <summary>A Go app of its own in a temporary folder (removed after), and its programs' folder under artifacts.</summary>
    private static async Task<(string Folder, string Programs)> AppAsync(string source)
    {
        if (Debian.Unavailable(".") is { } why) Assert.Ignore(why);
        if (RepositoryLayout.Root() is null) Assert.Ignore("no clone of the repository above " + AppContext.BaseDirectory);
        var folder = Directory.CreateTempSubdirectory("cors-go-app-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "main.go"), source);
        return (folder, Path.Combine(RepositoryLayout.Root()!, "artifacts", "middlewares", Path.GetFileName(folder)));
    }

    [Test]
    public async Task A_middleware_whose_Go_is_missing_says_so_with_the_install_command_and_does_not_start()
    {
        if (RepositoryLayout.Root() is null) Assert.Ignore("no clone of the repository above " + AppContext.BaseDirectory);
        var runtime = new GoRuntime(["golang-cors-conformance-no-such-package"], "x", go: "/nonexistent/cors-conformance/go");
        var middleware = new ProcessMiddleware("rs-cors", "rs-cors", "main.go", runtime);
        const string why = "Go (/nonexistent/cors-conformance/go), golang-cors-conformance-no-such-package are not installed; "
            + "install with: apt-get install -y golang-cors-conformance-no-such-package";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(middleware.Unavailable, Is.EqualTo(why));
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.StartAsync(Fixtures.Middlewares.Middlewares.Policies[0].Policy));
            Assert.That(e?.Message, Is.EqualTo(why));
        }
    }

    [Test]
    public async Task An_app_that_does_not_compile_fails_with_the_compiler_s_words_and_leaves_no_program()
    {
        var (folder, programs) = await AppAsync("package main\n\nfunc main() { undefinedName() }\n");
        try
        {
            var e = await Assert.ThrowsAsync<AppBuildException>(() => Debian.CommandAsync(folder, "main.go"));
            using (Assert.EnterMultipleScope())
            {
                // Not an InvalidOperationException or a TimeoutException, which the fixture tests skip as "did not start".
                Assert.That(e, Is.Not.InstanceOf<InvalidOperationException>());
                Assert.That(e?.Message, Does.StartWith($"go build {Path.Combine(folder, "main.go")} failed (exit ").And.Contain("undefined: undefinedName"));
                Assert.That(Directory.Exists(programs) ? Directory.GetFiles(programs) : [], Is.Empty);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            if (Directory.Exists(programs)) Directory.Delete(programs, recursive: true);
        }
    }

    [Test]
    public async Task An_app_is_built_once_per_content_and_its_program_is_reused_by_the_next_process()
    {
        var (folder, programs) = await AppAsync("package main\n\nimport \"os\"\n\nfunc main() { os.Exit(7) }\n");
        try
        {
            // The policies start side by side: one build for them all.
            var first = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Debian.CommandAsync(folder, "main.go")));
            var program = first[0].Single();
            var built = File.GetLastWriteTimeUtc(program);
            // Another runtime object stands for the next test process: it finds the program on disk.
            var again = (await new GoRuntime(["golang-go"], "Go {go}").CommandAsync(folder, "main.go")).Single();
            await File.AppendAllTextAsync(Path.Combine(folder, "main.go"), "// edited\n");
            var edited = (await Debian.CommandAsync(folder, "main.go")).Single();
            using var run = Process.Start(program)!;
            await run.WaitForExitAsync();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(first.Select(c => c.Single()), Is.All.EqualTo(program));
                Assert.That(Directory.GetFiles(programs).Select(Path.GetFileName), Has.None.Contains(".partial-"));
                Assert.That(run.ExitCode, Is.EqualTo(7), "the program is the app");
                Assert.That(again, Is.EqualTo(program));
                Assert.That(File.GetLastWriteTimeUtc(again), Is.EqualTo(built), "reused, not built again");
                Assert.That(edited, Is.Not.EqualTo(program), "an edited app is built again");
                Assert.That(File.Exists(edited));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            if (Directory.Exists(programs)) Directory.Delete(programs, recursive: true);
        }
    }

    [Test]
    public async Task The_rs_cors_app_refuses_a_bad_config_or_port_in_one_line_without_a_stack_trace()
    {
        var middleware = (ProcessMiddleware)Fixtures.Middlewares.Middlewares.All.Single(m => m.Id == "rs-cors");
        if (middleware.Unavailable is { } why) Assert.Ignore(why);
        var appFolder = Path.Combine(RepositoryLayout.Root()!, "fixtures", "middlewares", "rs-cors");
        var program = (await middleware.Runtime.CommandAsync(appFolder, "main.go")).Single();
        var folder = Directory.CreateTempSubdirectory("cors-rs-cors-").FullName;
        var notJson = Path.Combine(folder, "broken.json");
        await File.WriteAllTextAsync(notJson, "{ \"origins\": [ ");
        var policy = Path.Combine(folder, "policy.json");
        await File.WriteAllTextAsync(policy, MiddlewareConfig.Json(Fixtures.Middlewares.Middlewares.Policies[0].Policy));
        try
        {
            using (Assert.EnterMultipleScope())
            {
                foreach (var (arguments, said) in new (string[], string)[]
                {
                    (["/nonexistent/cors-conformance/policy.json", "8080"], "open /nonexistent/cors-conformance/policy.json: no such file or directory"),
                    ([notJson, "8080"], $"{notJson}: unexpected end of JSON input"),
                    ([policy, "http"], "PORT \"http\" is not a port number"),
                    ([policy, "70000"], "PORT \"70000\" is not a port number"),
                    ([], "usage: server CONFIG.json PORT"),
                })
                {
                    var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
                    foreach (var a in arguments) start.ArgumentList.Add(a);
                    using var process = Process.Start(start)!;
                    var errors = await process.StandardError.ReadToEndAsync();
                    await process.WaitForExitAsync();
                    Assert.That(process.ExitCode, Is.EqualTo(2), string.Join(" ", arguments));
                    Assert.That(errors.Trim(), Does.EndWith(said).And.Not.Contain("goroutine").And.Not.Contain("\n"), string.Join(" ", arguments));
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void The_config_gives_subdomain_rules_as_the_policy_writes_them_for_rs_cors_and_as_expressions_for_the_others()
    {
        var credentialed = Fixtures.Middlewares.Middlewares.Policies.Single(p => p.Id == "credentialed").Policy;
        var config = System.Text.Json.JsonDocument.Parse(MiddlewareConfig.Json(credentialed)).RootElement;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(config.GetProperty("origins").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "https://app.example.com" }));
            Assert.That(config.GetProperty("wildcards").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "https://*.example.org" }));
            Assert.That(config.GetProperty("patterns").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { @"^https://[^:/]+\.example\.org$" }));
        }
    }
}
