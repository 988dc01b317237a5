using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Servers;

/// <summary>
/// Carries a <see cref="ServerPlan"/> in the target URL's <c>plan</c> query parameter: base64url (no padding) of the
/// UTF-8 JSON. Header lists keep their order and their repeated names.
/// </summary>
public static class PlanCodec
{
    public static string Encode(ServerPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(plan, ServerJson.Options));
    }

    /// <exception cref="FormatException">The text is not base64url, or not the JSON of a whole plan.</exception>
    public static ServerPlan Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] json;
        try
        {
            json = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"the plan is not base64url: {e.Message}", e);
        }

        ServerPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<ServerPlan>(json, ServerJson.Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"the plan is not a ServerPlan's JSON ({Encoding.UTF8.GetString(json)}): {e.Message}", e);
        }

        if (plan is null) throw new FormatException("the plan is JSON null");
        if (WhyUnwritable(plan) is { } reason) throw new FormatException($"the plan cannot go on the wire: {reason}");
        return plan;
    }

    private static string? WhyUnwritable(ServerPlan plan)
    {
        if (plan.Then?.Any(step => step is null || step.Then is not null) == true) return "a follow-up's plan is null or has follow-ups of its own";
        if (new[] { plan }.Concat(plan.Then ?? []).Select(step => step.Redirect).FirstOrDefault(r => r is { Hops: < 0 }) is { } redirect) return $"a redirect of {redirect.Hops} hops";
        foreach (var response in plan.Responses())
        {
            if (response.Status is < 100 or > 999) return $"{response.Status} is not a three-digit status";
            if (response.Reason is { } reason && reason.Any(c => c is '\r' or '\n' || c > 0xFF)) return $"the reason phrase \"{reason}\" is not one line of bytes";
            if (response.Headers.Where(h => !WireValue.IsWritable(h)).Select(h => h is null ? "null" : $"\"{h}\"").FirstOrDefault() is { } bad)
                return $"the header line {bad}";
        }

        return null;
    }
}
