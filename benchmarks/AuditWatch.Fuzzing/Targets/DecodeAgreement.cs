using AuditWatch.Ingestion.Decoding;

namespace AuditWatch.Fuzzing.Targets;

/// <summary>The whole-body decoder (with its fast path) and the streaming decoder must find the same events and errors.</summary>
public static class DecodeAgreement
{
    public static void Check(IReadOnlyList<DecodeResult> whole, IReadOnlyList<DecodeResult> streamed)
    {
        for (var i = 0; i < Math.Max(whole.Count, streamed.Count); i++)
        {
            var a = i < whole.Count ? Describe(whole[i]) : "nothing";
            var b = i < streamed.Count ? Describe(streamed[i]) : "nothing";
            if (a != b)
            {
                throw new FuzzInvariantException($"whole-body and streaming decoding disagree at result {i}: {a} versus {b}");
            }
        }
    }

    public static string Describe(DecodeResult result) => result.Event is { } e
        ? $"event {e.AuditId} {e.Verb} {e.Stage} {e.StageTimestamp:O} user={e.User.Username} ref={e.ObjectRef} code={e.ResponseCode} at {result.Position.Line}/{result.Position.Item}"
        : $"error {result.Error!.Kind} at {result.Error.Position.Line}/{result.Error.Position.Item}";
}
