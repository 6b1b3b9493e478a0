using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using RtcClient.Http3.WebTransport;

namespace RtcClient.Http3.AspNetCore;

/// <summary>A WebTransport stream as the <see cref="ConnectionContext"/> ASP.NET Core's IWebTransportSession hands out.</summary>
internal sealed class WebTransportStreamConnection : ConnectionContext
{
    private readonly WebTransportStream _stream;

    public WebTransportStreamConnection(WebTransportStream stream)
    {
        _stream = stream;
        ConnectionId = "wt-" + stream.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var input = stream.CanRead ? PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)) : PipeReader.Create(Stream.Null);
        var output = stream.CanWrite ? PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true)) : PipeWriter.Create(Stream.Null);
        Transport = new DuplexPipe(input, output);
    }

    public override string ConnectionId { get; set; }
    public override IFeatureCollection Features { get; } = new FeatureCollection();
    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();
    public override IDuplexPipe Transport { get; set; }

    public override void Abort(ConnectionAbortedException abortReason) => _stream.Abort(0);

    public override async ValueTask DisposeAsync()
    {
        await Transport.Output.CompleteAsync().ConfigureAwait(false);
        await Transport.Input.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }
}
