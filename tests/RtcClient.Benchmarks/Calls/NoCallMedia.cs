using RtcClient.Media;

namespace RtcClient.Benchmarks.Calls;

/// <summary>Keeps the SDK's call media from opening, so a harness can drive raw datagrams on its own sessions.</summary>
internal sealed class NoCallMedia : IMediaTransport
{
    public ValueTask<IMediaSession> OpenAsync(Uri mediaUri, string bearerToken, CancellationToken cancellationToken)
        => ValueTask.FromException<IMediaSession>(new RtcException("call media is driven by the benchmark harness"));
}
