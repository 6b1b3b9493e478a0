namespace Rtc;

/// <summary>Choices of 'rtc demo'.</summary>
public sealed class DemoOptions
{
    /// <summary>Where the two recordings go.</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>How long the call talks once media runs.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The tone alice sends.</summary>
    public double AliceHz { get; init; } = 440;
    /// <summary>The tone bob sends.</summary>
    public double BobHz { get; init; } = 660;
}
