namespace RtcClient.Server.Hosting;

/// <summary>Configuration of the call server.</summary>
public sealed class RiptServerOptions
{
    /// <summary>The trunk groups offered; one named "default" when empty.</summary>
    public IList<TrunkGroupOptions> TrunkGroups { get; } = new List<TrunkGroupOptions>();
    /// <summary>How often the server checks call timers (one timer for all calls).</summary>
    public TimeSpan TimerResolution { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Keep-alive comment interval on event streams.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Events buffered per stream for a slow reader before it is disconnected.</summary>
    public int EventBufferLength { get; set; } = 256;
    /// <summary>Ended calls are forgotten after this long (their documents stay readable until then).</summary>
    public TimeSpan EndedCallRetention { get; set; } = TimeSpan.FromSeconds(30);
}
