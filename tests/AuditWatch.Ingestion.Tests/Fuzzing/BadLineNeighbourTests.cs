using System.Text;
using AuditWatch.Fuzzing.Mutation;
using AuditWatch.Fuzzing.Targets;
using AuditWatch.Ingestion.Decoding;
using AuditWatch.Ingestion.Tests.Decoding;

namespace AuditWatch.Ingestion.Tests.Fuzzing;

/// <summary>
/// A bad item never hides the good ones around it: in JSON lines, whatever a mutated line holds, the valid events on
/// the lines before and after it are decoded, by the whole-body decoder and by the streaming one.
/// </summary>
public sealed class BadLineNeighbourTests
{
    private static readonly byte[] Before = Encoding.UTF8.GetBytes(SampleEvents.Get("before-the-bad-line"));
    private static readonly byte[] After = Encoding.UTF8.GetBytes(SampleEvents.Get("after-the-bad-line"));

    [Fact]
    public void Valid_events_around_a_mutated_line_are_still_decoded()
    {
        var seeds = MutationRound.Seeds(FuzzCorpus.Directory("decoder"))
            .SelectMany(seed => Encoding.UTF8.GetString(seed).Split('\n'))
            .Where(line => line.StartsWith('{'))
            .Select(Encoding.UTF8.GetBytes)
            .ToList();
        var mutator = new InputMutator(seeds, InputDialect.Json, 4242);
        var decoder = new DecoderTarget();
        var checkedLines = 0;
        for (var i = 0; i < 1500; i++)
        {
            var bad = OneLine(mutator.Next());
            if (bad.AsSpan().TrimStart(" \t\r"u8).StartsWith("["u8))
            {
                // A line opening a top-level array makes the lines after it that array's elements, as JSON says.
                continue;
            }

            byte[] body = [.. Before, (byte)'\n', .. bad, (byte)'\n', .. After, (byte)'\n'];
            foreach (var results in new[] { new AuditStreamDecoder(DecoderTarget.Options).Decode(body, "t"), decoder.Streamed(body) })
            {
                var ids = results.AuditIds();
                Assert.True(ids.Contains("before-the-bad-line") && ids.Contains("after-the-bad-line"),
                    $"case {i}: neighbours lost around {Shown(bad)}");
            }

            checkedLines++;
        }

        Assert.True(checkedLines > 1000);
    }

    [Theory]
    [InlineData("""{"kind":"EventList","items":[{"kind":"Event","auditID":"cut","user":{"username":"a" """)]
    [InlineData("""{"kind":"EventList","items":[{"kind":"Event"},"a string cut""")]
    [InlineData("""{"kind":"EventList","items":[{"kind":"Event"}],"metadata":{"resourceVersion":""")]
    [InlineData("""{"kind":"Event","auditID":"x"}[[[[[""")]
    public void A_cut_off_or_garbled_line_does_not_swallow_the_lines_after_it(string line)
    {
        var text = line + "\n" + SampleEvents.Get("next-line") + "\n" + SampleEvents.Get("last-line") + "\n";

        foreach (var results in new[] { Decode.Text(text), new AuditStreamDecoder().Decode(Encoding.UTF8.GetBytes(text), "t") })
        {
            Assert.Equal(["next-line", "last-line"], results.AuditIds());
            Assert.All(results.Errors(), e => Assert.Equal(1, e.Position.Line));
        }
    }

    private static byte[] OneLine(byte[] input) => [.. input.Where(b => b != '\n')];

    private static string Shown(byte[] line)
    {
        var text = Encoding.UTF8.GetString(line);
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
