namespace RtcClient.Server.Store;

/// <summary>
/// Where a server keeps the state of its calls so that another instance can take a call over
/// (docs/protocol.md section 6.7). Every instance sharing one store sees the same records; the
/// live objects of an instance (event streams, media sessions, timers) are rebuilt from them.
/// </summary>
/// <remarks>
/// The registry writes a call's record under that call's lock after every change, so implementations
/// must answer quickly and never call back into the server. Writes are compare-and-swap on
/// <see cref="CallRecord.Version"/>, which keeps two instances from both changing one call.
/// </remarks>
public interface ICallStore
{
    /// <summary>
    /// Stores <paramref name="record"/> if the stored version is <c>record.Version - 1</c> (or, for version 1,
    /// if no record with that id exists); false when another writer got there first.
    /// </summary>
    bool TrySave(CallRecord record);

    /// <summary>The call with this id, or null.</summary>
    CallRecord? Find(string callId);

    /// <summary>The call that has a leg with this id, or null.</summary>
    CallRecord? FindByLeg(string legId);

    /// <summary>Calls handed off to <paramref name="owner"/> that it has not taken over yet.</summary>
    IReadOnlyList<CallRecord> FindHandoffs(string owner);

    /// <summary>Forgets a call (after it ended and its retention passed).</summary>
    void Remove(string callId);
}
