using System.Net;

namespace AuditWatch.Benchmarks;

/// <summary>
/// An HTTP transport without a network: it reads each request body to the end, as a socket handler writes it out, and
/// answers 200 with no body. Reading matters: <c>PostAsJsonAsync</c> serializes only when its content is written.
/// </summary>
internal sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly ByteCounter _body = new();

    public long Requests { get; private set; }

    public long BodyBytes => _body.Written;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (request.Content is { } content)
        {
            await content.CopyToAsync(_body, cancellationToken);
        }

        return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
    }

    /// <summary>A write-only stream that keeps nothing but the count.</summary>
    private sealed class ByteCounter : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Written += count;

        public override void Write(ReadOnlySpan<byte> buffer) => Written += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Written += count;
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
