namespace AuditWatch.Detection.Pipeline;

/// <summary>
/// Whether a pipeline rebuilding a Kafka partition's windows has reached live events. An incident rebuilt from
/// replayed events alone is not raised again; when it ends after live events started, its end is reported (the previous
/// owner handed it over open), and while still replaying it is not (the previous owner will have reported it).
/// </summary>
public sealed class ReplayProgress
{
    private volatile bool _live;

    public bool LiveStarted => _live;

    public void Observe(bool replayed)
    {
        if (!replayed)
        {
            _live = true;
        }
    }
}
