using CorsConformance.Specs.Policies;

namespace CorsConformance.Specs.Tests.Policies;

public sealed class PolicyReaderTests
{
    private const string File = "policy.json";

    [Test]
    public void A_full_policy_reads_every_field()
    {
        var policy = PolicyReader.Read("""
            {
              // comments are allowed
              "resources": ["https://api.example.com/items"],
              "allowedOrigins": ["https://app.example.com", "https://*.example.org"],
              "allowedMethods": ["GET", "PUT"],
              "allowedHeaders": ["Content-Type"],
              "exposedHeaders": ["X-Total-Count"],
              "allowCredentials": true,
              "maxAge": 600
            }
            """, File);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(policy.AllowedOrigins.Select(o => o.Text), Is.EqualTo(new[] { "https://app.example.com", "https://*.example.org" }));
            Assert.That(policy.AllowCredentials, Is.True);
            Assert.That(policy.MaxAge, Is.EqualTo(600));
            Assert.That(policy.DisallowedOrigin, Is.EqualTo(CorsPolicy.DefaultDisallowedOrigin));
        }
    }

    [TestCase("https://api.example.org", true)]
    [TestCase("https://a.b.example.org", true)]
    [TestCase("https://example.org", false)]
    [TestCase("http://api.example.org", false)]
    [TestCase("https://api.example.org:8443", false)]
    [TestCase("https://evilexample.org", false)]
    [TestCase("https://example.org.evil.test", false)]
    public void A_subdomain_pattern_matches_subdomains_of_that_domain_only(string origin, bool allowed)
    {
        Assert.That(new OriginRule("https://*.example.org").Matches(origin), Is.EqualTo(allowed));
    }

    [TestCase("""{ "allowedOrigins": [] }""", "allowedOrigins")]
    [TestCase("""{ "allowedMethods": ["GET"] }""", "allowedOrigins")]
    [TestCase("""{ "allowedOrigins": ["https://app.example.com/"] }""", "allowedOrigins")]
    [TestCase("""{ "allowedOrigins": ["app.example.com"] }""", "allowedOrigins")]
    [TestCase("""{ "allowedOrigins": ["*"], "allowCredentials": true }""", "allowedOrigins")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "allowedMethods": ["GE T"] }""", "allowedMethods")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "maxAge": -5 }""", "maxAge")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "allowCredentials": "yes" }""", "allowCredentials")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "allowedOrigin": ["x"] }""", "allowedOrigin")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "disallowedOrigin": "https://a.test" }""", "disallowedOrigin")]
    public void A_bad_policy_is_refused_naming_the_file_and_the_field(string json, string field)
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read(json, File))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Field, Is.EqualTo(field));
            Assert.That(e.Message, Does.Contain(File).And.Contain(field));
        }
    }

    /// <summary>JSON's null where a method, an origin or a route goes is refused as not a string, never read as "null".</summary>
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "allowedMethods": [null] }""", "allowedMethods", "must be a list of strings")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "allowedMethods": null }""", "allowedMethods", "must be a list of strings")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": "/a", "allowedMethods": [null] }] }""", "resources[0].allowedMethods", "must be a list of strings")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": null }] }""", "resources[0].path", "is required")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [null] }""", "resources[0]", "must be a path")]
    [TestCase("""{ "allowedOrigins": [null] }""", "allowedOrigins", "must be a list of strings")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "disallowedOrigin": null }""", "disallowedOrigin", "must be a serialized origin")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "maxAge": null }""", "maxAge", "must be a whole number")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "allowCredentials": null }""", "allowCredentials", "must be true or false")]
    public void JSON_null_is_refused_naming_the_field(string json, string field, string problem)
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read(json, File))!;
        Assert.That(e.Field, Is.EqualTo(field));
        Assert.That(e.Message, Does.Contain(File).And.Contain(problem));
    }

    /// <summary>A 100,000-character method or header name was taken (the mutation sweep).</summary>
    [TestCase("allowedMethods")]
    [TestCase("allowedHeaders")]
    [TestCase("exposedHeaders")]
    public void A_name_past_1024_characters_is_refused(string list)
    {
        var json = $$"""{ "allowedOrigins": ["https://a.test"], "{{list}}": ["X-A", "{{new string('X', 1_025)}}"] }""";
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read(json, File))!;
        Assert.That(e.Field, Is.EqualTo($"{list}[1]"));
        Assert.That(e.Message, Does.Contain("is 1,025 characters long"));
        Assert.That(() => PolicyReader.Read(json.Replace(new string('X', 1_025), new string('X', 1_024), StringComparison.Ordinal), File), Throws.Nothing);
    }

    /// <summary>An absolute route at a host no browser opens was taken, and each of its cases was a harness error mid-run.</summary>
    [TestCase("http://999.1.1.1/a", "ends in a number but is no IPv4 address")]
    [TestCase("http://xn--/a", "starts with xn--")]
    [TestCase("http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test/a", "is 64 characters long")]
    [TestCase("http://exa mple.com/a", "the host 'exa mple.com' holds ' '")]
    [TestCase("http://a..b/a", "has an empty label")]
    public void An_absolute_route_at_a_host_no_browser_opens_is_refused(string route, string problem)
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read($$"""{ "allowedOrigins": ["https://a.test"], "resources": ["{{route}}"] }""", File))!;
        Assert.That(e.Field, Is.EqualTo("resources[0]"));
        Assert.That(e.Message, Does.Contain(problem));
    }

    /// <summary>An entry listed twice made two cases of one id, and the run's verdicts, keyed by id, ended in "An item with
    /// the same key has already been added" in every engine (found by the fuzz campaign: "PUT" duplicated in
    /// fixtures/aspnetcore/policy.json). Each list is refused at its second entry, whatever the case of the names.</summary>
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "allowedMethods": ["GET", "PUT", "PUT"] }""", "allowedMethods[2]", "'PUT' is listed twice")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "allowedMethods": ["PUT", "put"] }""", "allowedMethods[1]", "'put' is listed twice (as 'PUT')")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "allowedHeaders": ["X-Request-Id", "x-request-id"] }""", "allowedHeaders[1]", "'x-request-id' is listed twice (as 'X-Request-Id')")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "exposedHeaders": ["X-Total", "X-Total"] }""", "exposedHeaders[1]", "'X-Total' is listed twice")]
    [TestCase("""{ "allowedOrigins": ["https://a.test", "https://a.test"] }""", "allowedOrigins[1]", "'https://a.test' is listed twice")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": "/a", "allowedMethods": ["GET", "GET"] }] }""", "resources[0].allowedMethods[1]", "'GET' is listed twice")]
    public void An_entry_listed_twice_is_refused_naming_it(string json, string field, string problem)
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read(json, File))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Field, Is.EqualTo(field));
            Assert.That(e.Message, Does.Contain(File).And.Contain(problem));
        }
    }

    [Test]
    public void A_header_in_both_allowed_and_exposed_lists_is_no_duplicate() =>
        Assert.That(PolicyReader.Read("""{ "allowedOrigins": ["https://a.test"], "allowedHeaders": ["X-A"], "exposedHeaders": ["X-A"] }""", File).ExposedHeaders, Is.EqualTo(new[] { "X-A" }));

    /// <summary>"\ud800" is valid JSON and no text: reading it threw InvalidOperationException out of the reader; a NUL or a
    /// line break in a route's path was taken, to be sent in a request line; an invisible character (U+FEFF, U+202E) named
    /// cases that read the same as another route's in every report.</summary>
    [TestCase("""{ "allowedOrigins": ["https://a.test\ud800"] }""", "allowedOrigins[0]", "lone surrogate")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": "/x", "allowedMethods": ["G\udc00"] }] }""", "resources[0].allowedMethods[0]", "lone surrogate")]
    [TestCase("""{ "\ud800": 1, "allowedOrigins": ["https://a.test"] }""", "(a field name)", "lone surrogate")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": ["/a\nb"] }""", "resources[0]", "'/a\\x0ab' holds a control character")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": "/a\u0000b" }] }""", "resources[0].path", "'/a\\x00b' holds a control character")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": ["/a\uFEFF"] }""", "resources[0]", "holds U+FEFF, a character that renders as nothing or as other text: if the route has it, write it percent-encoded (%EF%BB%BF)")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": "/a\u202Eb" }] }""", "resources[0].path", "holds U+202E")]
    public void Text_that_is_no_text_or_a_path_no_request_line_carries_is_refused_naming_the_field(string json, string field, string problem)
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read(json, File))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Field, Is.EqualTo(field));
            Assert.That(e.Message, Does.StartWith(File).And.Contain(problem));
            Assert.That(e.Message.Any(c => char.IsControl(c) || char.IsSurrogate(c)), Is.False, e.Message);
        }
    }

    /// <summary>A bad field was named without its line (the README promises the line for every bad input file).</summary>
    [TestCase("maxAge", 5, "must be a whole number of seconds")]
    [TestCase("resources[1].allowedMethods", 8, "'G T' is not a method token")]
    [TestCase("allowedOrigins", 3, "is not a serialized origin")]
    public void A_bad_field_is_named_with_its_line(string field, int line, string problem)
    {
        var json = """
            {
              // comments are allowed
              "allowedOrigins": [
                "https://a.test"%ORIGIN%], "allowCredentials": true,
              "maxAge": %AGE%,
              "resources": [
                "/a",
                { "path": "/b", "allowedMethods": ["%METHOD%"] }
              ]
            }
            """.Replace("%ORIGIN%", field == "allowedOrigins" ? ", \"https://A.test\"" : "", StringComparison.Ordinal)
            .Replace("%AGE%", field == "maxAge" ? "-1" : "5", StringComparison.Ordinal)
            .Replace("%METHOD%", field.StartsWith("resources", StringComparison.Ordinal) ? "G T" : "GET", StringComparison.Ordinal);
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read(json, File))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Field, Is.EqualTo(field));
            Assert.That(e.Line, Is.EqualTo(line));
            Assert.That(e.Message, Does.StartWith($"{File}: field '{field}' (line {line}) ").And.Contain(problem));
        }
    }

    [Test]
    public void Invalid_JSON_names_the_file_and_the_line()
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read("{\n  \"allowedOrigins\": [\n", File))!;
        // One line number, 1-based as editors count: System.Text.Json's own 0-based "LineNumber: 2" beside it read as
        // another line.
        Assert.That(e.Message, Does.Contain(File).And.Contain("(line 3, column 1)").And.Not.Contain("LineNumber").And.Not.EndWith(".."));
    }
}

/// <summary>`resources`: the routes of the API, each with its own methods where they differ.</summary>
public sealed class PolicyRoutesTests
{
    private const string File = "policy.json";

    [Test]
    public void Routes_are_paths_or_urls_each_with_its_own_methods_where_given()
    {
        var policy = PolicyReader.Read("""
            { "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"],
              "resources": ["/api/items", { "path": "/api/admin", "allowedMethods": ["GET"] }, "https://files.example.com/upload"] }
            """, File);
        var server = new Uri("http://127.0.0.1:5000/ignored?x=1");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(policy.Routes.Select(r => r.Resolve(server).ToString()),
                Is.EqualTo(new[] { "http://127.0.0.1:5000/api/items", "http://127.0.0.1:5000/api/admin", "https://files.example.com/upload" }));
            Assert.That(policy.ForRoute(policy.Routes[0]).AllowedMethods, Is.EqualTo(new[] { "GET", "PUT" }));
            Assert.That(policy.ForRoute(policy.Routes[1]).AllowedMethods, Is.EqualTo(new[] { "GET" }));
        }
    }

    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": "/api" }""", "resources")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": ["api/items"] }""", "resources[0]")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": ["/a", "ftp://x.test/a"] }""", "resources[1]")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": ["/a", "/a"] }""", "resources[1]")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [3] }""", "resources[0]")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "allowedMethods": ["GET"] }] }""", "resources[0].path")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": "/a", "methods": ["GET"] }] }""", "resources[0].methods")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": ["/a", { "path": "/b", "allowedMethods": ["G T"] }] }""", "resources[1].allowedMethods")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": "/b", "allowedMethods": "GET" }] }""", "resources[0].allowedMethods")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": "//evil.test/b" }] }""", "resources[0].path")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": ["/a", "http://user:s3cret@api.test/b"] }""", "resources[1]")]
    [TestCase("""{ "allowedOrigins": ["https://a.test"], "resources": [{ "path": "http://api.test:0/b" }] }""", "resources[0].path")]
    public void A_bad_route_is_refused_naming_the_file_the_entry_and_the_field(string json, string field)
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read(json, File))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Field, Is.EqualTo(field));
            Assert.That(e.Message, Does.StartWith(File).And.Contain($"'{field}'"));
        }
    }

    /// <summary>A field given twice used to be read as its last value, without a word: a reviewer reading the first
    /// `"allowCredentials": false` was not reading the policy that ran.</summary>
    [Test]
    public void A_field_given_twice_is_refused_naming_it()
    {
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read("""
            {
              "allowedOrigins": ["https://app.example.com"],
              "allowCredentials": false,
              "allowCredentials": true
            }
            """, File))!;
        Assert.That(e.Message, Does.StartWith(File).And.Contain("allowCredentials").And.Contain("is given twice"));
        var route = Assert.Throws<PolicyException>(() => PolicyReader.Read("""
            { "allowedOrigins": ["https://app.example.com"], "resources": [{ "path": "/a", "path": "/b" }] }
            """, File))!;
        Assert.That(route.Message, Does.Contain("resources[0].path").And.Contain("is given twice"));
    }
    /// <summary>A policy of 10,000 origins made 250,000 cases and stalled test discovery for two minutes (the hostile-input
    /// sweep): origins and routes are bounded, and so are their pairs, each refused naming the field and the figures.</summary>
    [TestCase(1_001, 1, "field 'allowedOrigins'", "lists 1,001 origins: at most 1,000")]
    [TestCase(1, 1_001, "field 'resources'", "lists 1,001 routes: at most 1,000")]
    [TestCase(101, 100, "field 'resources'", "100 routes, each tried from 101 origins (allowedOrigins), make 10,100 pairs")]
    [TestCase(100, 100, null, null)]
    public void A_policy_too_large_to_run_is_refused_naming_the_field(int origins, int routes, string? field, string? said)
    {
        var json = $$"""
            { "allowedOrigins": [{{string.Join(", ", Enumerable.Range(0, origins).Select(i => $"\"https://app{i}.example.com\""))}}],
              "resources": [{{string.Join(", ", Enumerable.Range(0, routes).Select(i => $"\"/api/r{i}\""))}}] }
            """;
        if (field is null)
        {
            Assert.That(PolicyReader.Read(json, File).Routes, Has.Count.EqualTo(routes));
            return;
        }
        var e = Assert.Throws<PolicyException>(() => PolicyReader.Read(json, File))!;
        Assert.That(e.Message, Does.Contain(field).And.Contain(said!));
    }
}
