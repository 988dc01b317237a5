using CorsConformance.Fixtures;
using CorsConformance.Harness.ServerUnderTest;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>A missing or malformed server-under-test setting fails fast with a message that names the setting.</summary>
[NonParallelizable]
public sealed class ServerUnderTestSettingsTests
{
    private static Func<string, string?> Parameters(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    private static SettingException Refused(Func<string, string?> parameters) =>
        Assert.Throws<SettingException>(() => ServerUnderTestSettings.Load(parameters))!;

    [Test]
    public void Without_a_target_nothing_is_configured()
    {
        Assert.That(ServerUnderTestSettings.IsConfigured(Parameters()), Is.False);
    }

    [Test]
    public void A_complete_configuration_loads_the_policy_and_the_timeout()
    {
        var settings = ServerUnderTestSettings.Load(Parameters(
            ("TargetUrl", "http://127.0.0.1:5000/api/items"), ("PolicyPath", FixturePolicies.PathOf("aspnetcore")), ("TimeoutSeconds", "2.5")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(settings.Target, Is.EqualTo(new Uri("http://127.0.0.1:5000/api/items")));
            Assert.That(settings.Policy.AllowCredentials, Is.True);
            Assert.That(settings.Timeout, Is.EqualTo(TimeSpan.FromSeconds(2.5)));
        }
    }

    [TestCase("ftp://example.com/x", "TargetUrl")]
    [TestCase("not a url", "TargetUrl")]
    public void A_malformed_target_is_named(string target, string key)
    {
        var e = Refused(Parameters(("TargetUrl", target), ("PolicyPath", FixturePolicies.PathOf("aspnetcore"))));
        Assert.That(e.Message, Does.Contain(key).And.Contain("CORS_TARGET_URL").And.Contain(target));
    }

    /// <summary>A host no browser opens passed the settings — `999.1.1.1`, `1.2.3.4.5` (a number last but no IPv4 address),
    /// `xn--` (no punycode), a label of 64 characters or a name of 254 (no DNS name) — and every case became a harness
    /// error mid-run; a host .NET cannot parse (a space, an unclosed [, an empty label, a port past 65535) was refused as
    /// "not an absolute http(s) URL" without the reason. Each is refused up front, saying what is wrong.</summary>
    [TestCase("http://exa mple.com/", "the host 'exa mple.com' holds ' '")]
    [TestCase("http://[::1/", "the host '[::1' has no closing ]")]
    [TestCase("http://[::g]/", "'[::g]' is not an IPv6 address")]
    [TestCase("http://a..b/", "the host 'a..b' has an empty label")]
    [TestCase("http://.a/", "the host '.a' has an empty label")]
    [TestCase("http://999.1.1.1/", "'999.1.1.1' ends in a number but is no IPv4 address")]
    [TestCase("http://1.2.3.4.5/api", "'1.2.3.4.5' ends in a number but is no IPv4 address")]
    [TestCase("http://xn--/", "the label 'xn--' starts with xn--")]
    [TestCase("http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test/", "is 64 characters long: a DNS name's labels have at most 63")]
    [TestCase("http://127.0.0.1:99999/", "the port '99999' is not a number from 1 to 65535")]
    [TestCase("http://127.0.0.1:abc/", "the port 'abc' is not a number from 1 to 65535")]
    [TestCase("http:///api", "has no host")]
    [TestCase("", "is not set")]
    public void A_host_no_browser_opens_is_refused_up_front_saying_why(string target, string why)
    {
        var e = Refused(Parameters(("TargetUrl", target), ("PolicyPath", FixturePolicies.PathOf("aspnetcore"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Key, Is.EqualTo("TargetUrl"));
            Assert.That(e.Message, Does.Contain("CORS_TARGET_URL").And.Contain(why));
        }
    }

    /// <summary>A trailing space passed and a leading one was "not an absolute http(s) URL"; a newline or a tab inside (a
    /// runsettings value written over two lines) passed, though browsers drop it and call another URL than .NET's. Each is
    /// refused, saying which character and where, with the password never repeated.</summary>
    [TestCase("http://127.0.0.1:5000/api ", "holds U+0020 last")]
    [TestCase(" http://127.0.0.1:5000/api", "holds U+0020 first")]
    [TestCase("http://127.0.0.1:5000/api\n", "holds U+000A last")]
    [TestCase("http://127.0.0.1:5000/a\npi", "holds U+000A at character 24")]
    [TestCase("http://127.0.0.1:5000/a\tpi", "holds U+0009 at character 24")]
    [TestCase("http://exam\rple.com/", "holds U+000D at character 12")]
    [TestCase("http://user:s3cret@127.0.0.1/\u007F", "'http://user:***@127.0.0.1/\\u007F' holds U+007F last")]
    public void A_control_character_or_white_space_at_either_end_is_refused_saying_where(string target, string why)
    {
        var e = Refused(Parameters(("TargetUrl", target), ("PolicyPath", FixturePolicies.PathOf("aspnetcore"))));
        Assert.That(e.Message, Does.Contain("CORS_TARGET_URL").And.Contain(why).And.Contain("without control characters").And.Not.Contain("s3cret"));
    }

    [Test]
    public void A_name_of_254_characters_is_no_DNS_name()
    {
        var host = string.Join('.', Enumerable.Repeat(new string('a', 50), 5)) + ".test"; // 255 + 5
        var e = Refused(Parameters(("TargetUrl", $"http://{host}/"), ("PolicyPath", FixturePolicies.PathOf("aspnetcore"))));
        Assert.That(e.Message, Does.Contain("characters long: a DNS name has at most 253"));
    }

    [TestCase("http://localhost:5000/api")]
    [TestCase("http://[::1]:5000/")]
    [TestCase("https://api.example.com./x")]
    [TestCase("http://127.1:5000/")]
    [TestCase("http://a-b_c.example/")]
    public void A_host_browsers_open_loads(string target)
    {
        var settings = ServerUnderTestSettings.Load(Parameters(("TargetUrl", target), ("PolicyPath", FixturePolicies.PathOf("aspnetcore"))));
        Assert.That(settings.Target.IsAbsoluteUri, Is.True);
    }

    /// <summary>A target with user:pass@ was accepted: fetch() refuses such a URL before sending anything, so every case
    /// was blocked by the page — "allowed" cases failed blaming the browser, "refused" cases passed with nothing checked.
    /// The password is not echoed.</summary>
    [Test]
    public void A_target_with_a_user_name_or_password_is_refused_without_echoing_the_password()
    {
        var e = Refused(Parameters(("TargetUrl", "http://user:s3cret@127.0.0.1:5000/api"), ("PolicyPath", FixturePolicies.PathOf("aspnetcore"))));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Key, Is.EqualTo("TargetUrl"));
            Assert.That(e.Message, Does.Contain("user:pass@").And.Contain("http://127.0.0.1:5000/api").And.Not.Contain("s3cret"));
        }
    }

    [Test]
    public void A_target_on_port_0_is_refused()
    {
        var e = Refused(Parameters(("TargetUrl", "http://127.0.0.1:0/"), ("PolicyPath", FixturePolicies.PathOf("aspnetcore"))));
        Assert.That(e.Message, Does.Contain("TargetUrl").And.Contain("port 0"));
    }

    [Test]
    public void A_policy_path_that_is_a_folder_is_named_as_one()
    {
        var e = Refused(Parameters(("TargetUrl", "http://127.0.0.1:5000/"), ("PolicyPath", Path.GetTempPath())));
        Assert.That(e.Message, Does.Contain("PolicyPath").And.Contain("is a folder, not a file"));
    }

    [Test]
    public void A_missing_policy_path_is_named()
    {
        var e = Refused(Parameters(("TargetUrl", "http://127.0.0.1:5000/")));
        Assert.That(e.Key, Is.EqualTo("PolicyPath"));
    }

    [Test]
    public void A_policy_file_that_does_not_exist_is_named()
    {
        var e = Refused(Parameters(("TargetUrl", "http://127.0.0.1:5000/"), ("PolicyPath", "/nonexistent/policy.json")));
        Assert.That(e.Message, Does.Contain("PolicyPath").And.Contain("does not exist"));
    }

    /// <summary>The policy file was read with File.ReadAllText: bytes that are not UTF-8 became U+FFFD in a field name, and
    /// PolicyPath=/dev/zero read until the test host died of "Out of memory". It is read as every input file is.</summary>
    [Test]
    public void A_policy_file_that_is_not_UTF8_or_never_ends_is_named()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0x7B, 0x22, 0xE9, 0x22, 0x3A, 0x31, 0x7D]);
            var e = Refused(Parameters(("TargetUrl", "http://127.0.0.1:5000/"), ("PolicyPath", path)));
            Assert.That(e.Message, Does.Contain("PolicyPath").And.Contain(path).And.Contain("byte 0xE9 (offset 2) is not UTF-8"));
        }
        finally
        {
            File.Delete(path);
        }
        if (!File.Exists("/dev/zero")) return;
        var zero = Refused(Parameters(("TargetUrl", "http://127.0.0.1:5000/"), ("PolicyPath", "/dev/zero")));
        Assert.That(zero.Message, Does.Contain("PolicyPath").And.Contain("holds more than 256 MiB"));
    }

    [Test]
    public void A_malformed_policy_names_the_setting_the_file_and_the_field()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "allowedOrigins": ["*"], "allowCredentials": true }""");
            var e = Refused(Parameters(("TargetUrl", "http://127.0.0.1:5000/"), ("PolicyPath", path)));
            Assert.That(e.Message, Does.Contain("PolicyPath").And.Contain(path).And.Contain("allowedOrigins"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>NaN, Infinity and 1e308 parse as numbers and escaped as TimeSpan's ArgumentException or OverflowException (a
    /// stack trace in every fixture); 922337203685 passed and would fail the first CancelAfter (over 2^31 - 1 ms) and fire a
    /// page's setTimeout at once; 1e-300 became a zero timeout, every case a harness error "too slow" (found by the fuzz
    /// campaign). Each is refused with the setting named.</summary>
    [TestCase("0")]
    [TestCase("soon")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    [TestCase("-Infinity")]
    [TestCase("1e308")]
    [TestCase("922337203685")]
    [TestCase("3600.5")]
    [TestCase("1e-300")]
    [TestCase("0.0001")]
    public void A_bad_timeout_is_named(string timeout)
    {
        var e = Refused(Parameters(("TargetUrl", "http://127.0.0.1:5000/"), ("PolicyPath", FixturePolicies.PathOf("aspnetcore")), ("TimeoutSeconds", timeout)));
        Assert.That(e.Key, Is.EqualTo("TimeoutSeconds"));
    }

    /// <summary>A bad setting is a bad input: dotnet test printed the suite's own frames under its message in every fixture
    /// that loads the settings. The message names setting, file and field; no stack trace follows it.</summary>
    [Test]
    public void A_bad_setting_carries_no_stack_trace()
    {
        var e = Assert.Throws<SettingException>(() => ServerUnderTestSettings.Load(key => key == "TargetUrl" ? "ftp://127.0.0.1/api" : null))!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(e.Message, Does.StartWith("Setting 'TargetUrl'"));
            Assert.That(e.StackTrace, Is.Null);
        }
    }
}
