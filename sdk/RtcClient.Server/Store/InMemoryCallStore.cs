using System.Text.Json;

namespace RtcClient.Server.Store;

/// <summary>
/// A <see cref="ICallStore"/> in this process: the default for a single instance, and a stand-in for a
/// shared database when several server instances in one process share it. Records are kept as JSON, as
/// a database would keep them, so no instance holds another's objects by reference. Thread-safe.
/// </summary>
public sealed class InMemoryCallStore : ICallStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _callOfLeg = new(StringComparer.Ordinal);

    private readonly record struct Entry(long Version, string? HandoffTo, string CallerLeg, string CalleeLeg, byte[] Json);

    /// <summary>Number of calls stored.</summary>
    public int Count { get { lock (_gate) return _calls.Count; } }

    /// <inheritdoc />
    public bool TrySave(CallRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = JsonSerializer.SerializeToUtf8Bytes(record, CallStoreJsonContext.Default.CallRecord);
        lock (_gate)
        {
            long stored = _calls.TryGetValue(record.Id, out var previous) ? previous.Version : 0;
            if (stored != record.Version - 1) return false;
            _calls[record.Id] = new Entry(record.Version, record.Handoff ? record.Owner : null, record.Caller.Id, record.Callee.Id, json);
            _callOfLeg[record.Caller.Id] = record.Id;
            _callOfLeg[record.Callee.Id] = record.Id;
            return true;
        }
    }

    /// <inheritdoc />
    public CallRecord? Find(string callId)
    {
        lock (_gate) return _calls.TryGetValue(callId, out var entry) ? Read(entry) : null;
    }

    /// <inheritdoc />
    public CallRecord? FindByLeg(string legId)
    {
        lock (_gate) return _callOfLeg.TryGetValue(legId, out var id) && _calls.TryGetValue(id, out var entry) ? Read(entry) : null;
    }

    /// <inheritdoc />
    public IReadOnlyList<CallRecord> FindHandoffs(string owner)
    {
        lock (_gate)
        {
            List<CallRecord>? found = null;
            foreach (var entry in _calls.Values)
            {
                if (entry.HandoffTo == owner) (found ??= []).Add(Read(entry));
            }
            return found ?? (IReadOnlyList<CallRecord>)[];
        }
    }

    /// <inheritdoc />
    public void Remove(string callId)
    {
        lock (_gate)
        {
            if (!_calls.Remove(callId, out var entry)) return;
            _callOfLeg.Remove(entry.CallerLeg);
            _callOfLeg.Remove(entry.CalleeLeg);
        }
    }

    private static CallRecord Read(Entry entry) => JsonSerializer.Deserialize(entry.Json, CallStoreJsonContext.Default.CallRecord)!;
}
