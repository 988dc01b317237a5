namespace CorsConformance.Specs.Verdicts;

/// <summary>What became of the request, as far as the page could tell, told apart with the server's journal.</summary>
public enum Outcome
{
    /// <summary>The page got the response.</summary>
    Allowed,

    /// <summary>The page got a network error although the target answered: the CORS protocol refused it.</summary>
    Blocked,

    /// <summary>The page got a network error and the target saw nothing: not a CORS verdict but a harness or network failure.</summary>
    Unreached,

    /// <summary>The API refused the request before sending anything (e.g. <c>new Request()</c> throws for a no-cors PUT):
    /// nothing reaches the target, by the standard.</summary>
    Refused,
}
