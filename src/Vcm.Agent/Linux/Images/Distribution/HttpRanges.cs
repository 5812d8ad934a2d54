using System.Net;
using System.Net.Http.Headers;

namespace Vcm.Agent.Linux.Images.Distribution;

/// <summary>GET of a byte range over HTTP with a bearer token, for the store and for peers alike.</summary>
internal static class HttpRanges
{
    /// <summary>The body of a 206 answer (or of a 200 when the range starts at 0); the caller reads at most the length it asked.</summary>
    public static async Task<Stream> OpenAsync(HttpClient http, string url, string? bearer, long offset, long length, string source, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(offset, offset + length - 1);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ChunkSourceException($"{source} is unreachable: {e.Message}", inner: e);
        }

        if (response.StatusCode == HttpStatusCode.PartialContent || (response.StatusCode == HttpStatusCode.OK && offset == 0))
        {
            return new OwningStream(await response.Content.ReadAsStreamAsync(cancellationToken), response);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new ChunkSourceException($"{source} answered {(int)response.StatusCode} {response.ReasonPhrase} {(body.Length > 200 ? body[..200] : body)}".TrimEnd());
        }
    }

    /// <summary>A response body that disposes its response with it.</summary>
    private sealed class OwningStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
