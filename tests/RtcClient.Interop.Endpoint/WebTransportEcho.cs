using RtcClient.Http3.WebTransport;
using RtcClient.Quic;

namespace RtcClient.Interop.Endpoint;

/// <summary>
/// What quic-go's wtpeer does at /wt: every datagram is sent back, every bidirectional stream is answered with its
/// own bytes on the same stream, every unidirectional stream with its bytes on a new unidirectional stream.
/// </summary>
internal static class WebTransportEcho
{
    /// <summary>Echoes until the session ends.</summary>
    public static Task RunAsync(WebTransportSession session)
        => Task.WhenAll(Task.Run(() => EchoDatagramsAsync(session)), Task.Run(() => EchoStreamsAsync(session)), session.Closed);

    private static async Task EchoDatagramsAsync(WebTransportSession session)
    {
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                int n = await session.ReadDatagramAsync(buffer);
                session.SendDatagram(buffer.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException)
        {
            // The session ended.
        }
    }

    private static async Task EchoStreamsAsync(WebTransportSession session)
    {
        try
        {
            while (true)
            {
                var stream = await session.AcceptStreamAsync();
                _ = Task.Run(() => EchoStreamAsync(session, stream));
            }
        }
        catch (Exception e) when (e is QuicException or OperationCanceledException)
        {
            // The session ended.
        }
    }

    private static async Task EchoStreamAsync(WebTransportSession session, WebTransportStream stream)
    {
        await using var incoming = stream;
        try
        {
            var data = new MemoryStream();
            await incoming.CopyToAsync(data);
            if (incoming.IsBidirectional)
            {
                await incoming.WriteAsync(data.ToArray(), completeWrites: true);
                return;
            }

            await using var back = await session.OpenUnidirectionalStreamAsync();
            await back.WriteAsync(data.ToArray(), completeWrites: true);
        }
        catch (Exception e) when (e is QuicException or ObjectDisposedException or IOException)
        {
            // The peer reset the stream or the session ended.
        }
    }
}
