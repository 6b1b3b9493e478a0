namespace RtcClient.Server.Calls;

/// <summary>The outcome of <see cref="CallRegistry.DrainAsync"/>.</summary>
/// <param name="Migrated">Calls handed over (ids).</param>
/// <param name="TakenOver">Of those, the calls the target took over within the timeout.</param>
/// <param name="Remaining">Calls that could not move (a leg held by an in-process application).</param>
/// <param name="Ended">Of those, the calls still up at the timeout, which the drain ended (reason migrated-away).</param>
public sealed record DrainResult(IReadOnlyList<string> Migrated, IReadOnlyList<string> TakenOver, IReadOnlyList<string> Remaining, IReadOnlyList<string> Ended);
