using CorsConformance.Harness.Browsers;

namespace CorsConformance.Harness.Tests.Browsers;

/// <summary>
/// The browser's words reach the case they are about: a message from a page's own context is that page's; one from a
/// context that is no open page (its sandboxed frame, a data: worker) goes to every open page, where only the case whose
/// token is in its URL picks it up, with that URL written {url}.
/// </summary>
public sealed class PageMessagesTests
{
    [Test]
    public void A_page_hears_its_own_context_and_every_context_that_is_no_page_and_nothing_once_closed()
    {
        var messages = new PageMessages();
        var first = messages.Open("page-1");
        var second = messages.Open("page-2");

        messages.Add("page-1", "Access to fetch at 'http://api.cors.test:81/target/aaaa?plan=x' has been blocked\n    at line 3");
        messages.Add("frame-of-page-2", "Access to fetch at 'http://api.cors.test:81/target/bbbb?plan=y' has been blocked");
        messages.Close("page-2");
        messages.Add("page-2", "after close: cccc");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.ReasonFor("aaaa"), Is.EqualTo("Access to fetch at '{url}' has been blocked"), "first line only, URL as {url}");
            Assert.That(second.ReasonFor("aaaa"), Is.Null, "another page's own message");
            Assert.That(second.ReasonFor("bbbb"), Is.EqualTo("Access to fetch at '{url}' has been blocked"));
            Assert.That(first.ReasonFor("bbbb"), Is.Not.Null, "a frame's message goes to every open page; only its token matches a case");
            Assert.That(second.ReasonFor("cccc"), Is.Null, "a closed page hears nothing");
            Assert.That(first.Drain(), Does.Contain("aaaa").And.Contain("bbbb"));
            Assert.That(first.Drain(), Is.Null, "drained");
        }
    }
}
