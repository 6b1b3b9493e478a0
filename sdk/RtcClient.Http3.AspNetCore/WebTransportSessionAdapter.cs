using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using RtcClient.Http3.WebTransport;

namespace RtcClient.Http3.AspNetCore;

// ASP.NET Core marks its WebTransport interfaces as preview; implementing them is the point of this adapter.
#pragma warning disable CA2252

/// <summary>Our session behind ASP.NET Core's <see cref="IWebTransportSession"/>.</summary>
internal sealed class WebTransportSessionAdapter(WebTransportSession session) : IWebTransportSession
{
    public long SessionId => session.SessionId;

    public void Abort(int errorCode) => _ = session.CloseAsync(unchecked((uint)errorCode), "aborted");

    public async ValueTask<ConnectionContext?> AcceptStreamAsync(CancellationToken cancellationToken)
    {
        try
        {
            return new WebTransportStreamConnection(await session.AcceptStreamAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Quic.QuicException)
        {
            return null;
        }
    }

    public async ValueTask<ConnectionContext?> OpenUnidirectionalStreamAsync(CancellationToken cancellationToken)
    {
        if (session.IsClosed)
            return null;
        return new WebTransportStreamConnection(await session.OpenUnidirectionalStreamAsync(cancellationToken).ConfigureAwait(false));
    }
}
