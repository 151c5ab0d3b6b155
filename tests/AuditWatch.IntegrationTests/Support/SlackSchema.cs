using System.Text.Json;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// Slack's documented Block Kit rules for the blocks AuditWatch sends (api.slack.com/reference/block-kit): a non-empty
/// text fallback, at most 50 blocks; header plain_text ≤ 150; section text ≤ 3000, ≤ 10 fields of ≤ 2000; context ≤ 10
/// elements. Returns the first violation, or null.
/// </summary>
internal static class SlackSchema
{
    public static string? Check(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String || text.GetString()!.Length == 0)
        {
            return "missing text fallback";
        }

        if (!root.TryGetProperty("blocks", out var blocks) || blocks.ValueKind != JsonValueKind.Array)
        {
            return "missing blocks";
        }

        if (blocks.GetArrayLength() > 50)
        {
            return $"{blocks.GetArrayLength()} blocks, the limit is 50";
        }

        foreach (var block in blocks.EnumerateArray())
        {
            var type = block.GetProperty("type").GetString();
            switch (type)
            {
                case "header":
                    if (block.GetProperty("text").GetProperty("type").GetString() != "plain_text" || Length(block.GetProperty("text")) > 150)
                    {
                        return "header must be plain_text of at most 150 characters";
                    }

                    break;
                case "section":
                    if (block.TryGetProperty("text", out var sectionText) && (Length(sectionText) > 3000 || Length(sectionText) == 0))
                    {
                        return "section text must be 1 to 3000 characters";
                    }

                    if (block.TryGetProperty("fields", out var fields) && (fields.GetArrayLength() > 10 || fields.EnumerateArray().Any(f => Length(f) > 2000)))
                    {
                        return "section fields: at most 10, each at most 2000 characters";
                    }

                    if (!block.TryGetProperty("text", out _) && !block.TryGetProperty("fields", out _))
                    {
                        return "section needs text or fields";
                    }

                    break;
                case "context":
                    if (block.GetProperty("elements").GetArrayLength() is 0 or > 10)
                    {
                        return "context needs 1 to 10 elements";
                    }

                    break;
                case "divider":
                    break;
                default:
                    return $"unexpected block type {type}";
            }
        }

        return null;
    }

    private static int Length(JsonElement textObject) => textObject.GetProperty("text").GetString()!.Length;
}
