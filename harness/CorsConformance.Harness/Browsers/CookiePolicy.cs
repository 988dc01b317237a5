namespace CorsConformance.Harness.Browsers;

/// <summary>
/// The cookie policy a run uses, set on purpose and recorded with the results: it decides what a credentialed request carries.
/// The harness plants one SameSite=Lax cookie on every host of the topology, so a cookie travels only to same-site targets
/// whatever the engine's third-party cookie setting; third-party cookies are blocked in every engine as well.
/// </summary>
public sealed record CookiePolicy(string PlantedCookie, string ThirdPartyCookies)
{
    public static CookiePolicy For(Engine engine) => new(
        "cc=1; SameSite=Lax; Path=/ on every host of the topology",
        engine switch
        {
            Engine.Chromium => "blocked (Chromium's default: unpartitioned third-party cookies blocked)",
            Engine.Firefox => "blocked (network.cookie.cookieBehavior = 1)",
            Engine.WebkitGtk => "blocked (MiniBrowser --cookies-policy=no-third-party)",
            _ => "engine default (Playwright WebKit: third-party cookies blocked)",
        });
}
