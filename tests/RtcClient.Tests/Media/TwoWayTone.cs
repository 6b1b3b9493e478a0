using RtcClient.Media.Io;

namespace RtcClient.Tests.Media;

/// <summary>A call with a tone in each direction (caller 1000 Hz, callee 600 Hz) and a detector at each end.</summary>
internal sealed class TwoWayTone
{
    public const double CallerHz = 1000;
    public const double CalleeHz = 600;
    private static readonly TimeSpan ToneTimeout = TimeSpan.FromSeconds(15);
    private static readonly AudioFormat Format = new(48000);

    private TwoWayTone(ToneDetector atCaller, ToneDetector atCallee)
    {
        AtCaller = atCaller;
        AtCallee = atCallee;
    }

    /// <summary>What the caller hears (the callee's tone).</summary>
    public ToneDetector AtCaller { get; }

    /// <summary>What the callee hears (the caller's tone).</summary>
    public ToneDetector AtCallee { get; }

    /// <summary>Plays both tones and waits until each end hears the other's.</summary>
    public static async Task<TwoWayTone> StartAsync(Call caller, Call callee, CancellationToken cancellationToken)
    {
        caller.AudioSource = new ToneGenerator(Format, 8000, CallerHz);
        callee.AudioSource = new ToneGenerator(Format, 8000, CalleeHz);
        var tones = new TwoWayTone(new ToneDetector(Format), new ToneDetector(Format));
        caller.AudioSink = tones.AtCaller;
        callee.AudioSink = tones.AtCallee;
        await tones.HeardAsync(cancellationToken);
        return tones;
    }

    /// <summary>Waits for a fresh run of each tone at the far end.</summary>
    public Task HeardAsync(CancellationToken cancellationToken)
        => Task.WhenAll(AtCallee.WaitForToneAsync(CallerHz, ToneTimeout, cancellationToken), AtCaller.WaitForToneAsync(CalleeHz, ToneTimeout, cancellationToken));

    /// <summary>Starts measuring the longest gap in each tone afresh.</summary>
    public void ResetGaps()
    {
        AtCaller.ResetGap();
        AtCallee.ResetGap();
    }
}
