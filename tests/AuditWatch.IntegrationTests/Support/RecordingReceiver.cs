using System.Collections.Concurrent;
using System.Net;

namespace AuditWatch.IntegrationTests.Support;

/// <summary>
/// A local HTTP receiver standing in for Slack or a webhook consumer: records each request, checks it with
/// <c>validate</c> (a problem answers 400), and answers with scripted status codes first (429 with Retry-After, 500…).
/// </summary>
internal sealed class RecordingReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _script;
    private readonly Func<string, IReadOnlyDictionary<string, string>, string?> _validate;
    private readonly Task _loop;
    private int _delayed;

    public RecordingReceiver(IEnumerable<int> script, Func<string, IReadOnlyDictionary<string, string>, string?> validate)
    {
        Port = FreePort.Next();
        _script = new ConcurrentQueue<int>(script);
        _validate = validate;
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hook");

    public ConcurrentQueue<(int Status, string Body, IReadOnlyDictionary<string, string> Headers, string? Problem)> Requests { get; } = new();

    /// <summary>When set, decides each answer instead of the script: its status and how long to take before answering.</summary>
    public Func<(int Status, TimeSpan Delay)>? Behaviour { get; init; }

    /// <summary>Requests answered only after the behaviour's delay (not in <see cref="Requests"/>).</summary>
    public int Delayed => Volatile.Read(ref _delayed);

    /// <summary>The Retry-After a 429 carries, in seconds.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
            var problem = _validate(body, headers);
            var (behaviourStatus, delay) = Behaviour?.Invoke() ?? (0, TimeSpan.Zero);
            var status = problem is not null ? 400 : Behaviour is not null ? behaviourStatus : _script.TryDequeue(out var scripted) ? scripted : 200;
            if (delay > TimeSpan.Zero)
            {
                // A hanging receiver: answered later, on its own task, so that other requests are still taken meanwhile.
                var late = context;
                _ = Task.Delay(delay).ContinueWith(_ => Answer(late, status, problem), TaskScheduler.Default);
                Interlocked.Increment(ref _delayed);
                continue;
            }

            Requests.Enqueue((status, body, headers, problem));
            Answer(context, status, problem);
        }
    }

    private void Answer(HttpListenerContext context, int status, string? problem)
    {
        try
        {
            context.Response.StatusCode = status;
            if (status == 429)
            {
                context.Response.Headers["Retry-After"] = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            using (var writer = new StreamWriter(context.Response.OutputStream))
            {
                writer.Write(problem ?? (status == 200 ? "ok" : "try again"));
            }

            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client gave up waiting (its attempt timed out) or the receiver was stopped.
        }
    }
}
