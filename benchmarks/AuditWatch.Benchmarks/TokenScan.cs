using System.Text.Json;

namespace AuditWatch.Benchmarks;

/// <summary>The floor no decoder can beat: every JSON token of the bytes read once, nothing kept.</summary>
internal static class TokenScan
{
    public static int Count(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowMultipleValues = true });
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }
}
