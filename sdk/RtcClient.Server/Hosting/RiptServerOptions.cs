using RtcClient.Server.Store;

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
    /// <summary>
    /// Where call state is kept. Instances that share one store can hand calls to each other (docs/protocol.md
    /// section 6.7); null keeps this instance's calls in its own memory.
    /// </summary>
    public ICallStore? CallStore { get; set; }
    /// <summary>
    /// This instance's public origin (e.g. https://calls-2.example.com): its name as a call's owner in the store
    /// and the base of the migrate targets other instances send. <see cref="RiptServerHost"/> uses its bound address when null.
    /// </summary>
    public Uri? InstanceUri { get; set; }
    /// <summary>How long a migrated leg's old media session still forwards, so clients switch without a gap.</summary>
    public TimeSpan MigrationGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How long a handed-over call waits for its new instance to take it; then this instance ends it (failed).</summary>
    public TimeSpan HandoffTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
