using System.Security.Cryptography;

namespace RtcClient.SFrame;

/// <summary>
/// Keys SFrame from an MLS group (RFC 9605 section 5.2). For each epoch the application runs its
/// MLS stack's exporter, <c>MLS-Exporter(<see cref="ExporterLabel"/>, "", Nk)</c>, and hands the
/// output here as that epoch's base key; every member then has its own KIDs
/// (<see cref="MlsSFrameKeyId"/>) and so its own <c>sframe_key</c>/<c>sframe_salt</c>.
/// Only the low <see cref="EpochBits"/> bits of the epoch travel in the KID; adding an epoch
/// removes an older one with the same low bits, as the RFC requires. Thread-safe.
/// </summary>
public sealed class MlsSFrameKeyProvider : ISFrameKeyProvider, IDisposable
{
    /// <summary>Label for the MLS exporter.</summary>
    public const string ExporterLabel = "SFrame 1.0 Base Key";

    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Epoch> _epochs = [];
    private readonly int _baseKeyLength;
    private ulong? _sendEpochBits;
    private bool _disposed;

    /// <summary>Creates a provider with no epoch yet.</summary>
    /// <param name="suite">Cipher suite of the session (fixes the exporter length, <c>Nk</c>).</param>
    /// <param name="epochBits"><c>E</c>: epoch bits carried in each KID (at most 2^E epochs are live at once).</param>
    /// <param name="sendContext">Context value of the local sender's KIDs (0 gives the shortest KID).</param>
    /// <param name="maxReceiveContext">Largest context accepted from remote senders; bounds how many KIDs one member can claim.</param>
    public MlsSFrameKeyProvider(SFrameCipherSuite suite, int epochBits, ulong sendContext = 0, ulong maxReceiveContext = 15)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epochBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(epochBits, 32);
        _baseKeyLength = GetExporterLength(suite);
        CipherSuite = suite;
        EpochBits = epochBits;
        SendContext = sendContext;
        MaxReceiveContext = maxReceiveContext;
    }

    /// <inheritdoc />
    public event EventHandler<SFrameKeysChangedEventArgs>? KeysChanged;

    /// <summary>The session's cipher suite.</summary>
    public SFrameCipherSuite CipherSuite { get; }

    /// <summary><c>E</c>.</summary>
    public int EpochBits { get; }

    /// <summary>Context value of the local sender's KIDs.</summary>
    public ulong SendContext { get; }

    /// <summary>Largest context value accepted in a received KID.</summary>
    public ulong MaxReceiveContext { get; }

    /// <summary>The epoch the local sender encrypts with, if any.</summary>
    public ulong? SendEpoch
    {
        get
        {
            lock (_lock)
            {
                return _sendEpochBits is { } bits && _epochs.TryGetValue(bits, out var epoch) ? epoch.Number : null;
            }
        }
    }

    /// <summary>Length to ask of the MLS exporter: <c>AEAD.Nk</c> of the suite.</summary>
    public static int GetExporterLength(SFrameCipherSuite suite) => SFrameCipherSuites.GetParameters(suite).Nk;

    /// <summary>
    /// Installs an epoch. Receivers can decrypt its members' frames at once; the local sender moves
    /// to it when <paramref name="activateForSending"/> is set (RFC 9605 section 4.4.1 suggests
    /// delaying that until receivers have the epoch, see <see cref="ActivateForSending"/>).
    /// </summary>
    /// <param name="epoch">MLS epoch number.</param>
    /// <param name="exporterOutput"><c>MLS-Exporter("SFrame 1.0 Base Key", "", Nk)</c> of that epoch.</param>
    /// <param name="groupSize">Number of leaves in the group in that epoch (sets <c>S</c>).</param>
    /// <param name="ownIndex">The local member's leaf index in that epoch.</param>
    /// <param name="activateForSending">Whether the local sender switches to this epoch now.</param>
    public void AddEpoch(ulong epoch, ReadOnlySpan<byte> exporterOutput, uint groupSize, uint ownIndex, bool activateForSending = true)
    {
        if (exporterOutput.Length != _baseKeyLength)
        {
            throw new ArgumentException($"The exporter output is Nk = {_baseKeyLength} bytes for {CipherSuite}.", nameof(exporterOutput));
        }

        int indexBits = MlsSFrameKeyId.IndexBitsForGroupSize(groupSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ownIndex, groupSize);
        if (indexBits + EpochBits > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "S + E exceeds 64 bits.");
        }

        // Validates that the send context fits the remaining 64 - S - E bits before anything changes.
        ulong sendKeyId = SendKeyIdFor(epoch, indexBits, ownIndex);
        ulong bits = epoch & MlsSFrameKeyId.EpochMask(EpochBits);
        bool displaced;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            displaced = RemoveLocked(bits);
            _epochs[bits] = new Epoch(epoch, exporterOutput.ToArray(), groupSize, indexBits, ownIndex);
            if (activateForSending)
            {
                _sendEpochBits = bits;
            }
        }

        ulong mask = MlsSFrameKeyId.EpochMask(EpochBits);
        if (displaced)
        {
            Raise(new SFrameKeysChangedEventArgs(SFrameKeyChange.Removed, bits, mask));
        }

        Raise(new SFrameKeysChangedEventArgs(SFrameKeyChange.Added, bits, mask));
        if (activateForSending)
        {
            Raise(new SFrameKeysChangedEventArgs(SFrameKeyChange.SendKeyChanged, sendKeyId));
        }
    }

    /// <summary>Moves the local sender to an installed epoch.</summary>
    /// <returns><see langword="false"/> when the epoch is not installed.</returns>
    public bool ActivateForSending(ulong epoch)
    {
        ulong sendKeyId;
        lock (_lock)
        {
            ulong bits = epoch & MlsSFrameKeyId.EpochMask(EpochBits);
            if (!_epochs.TryGetValue(bits, out var state) || state.Number != epoch)
            {
                return false;
            }

            _sendEpochBits = bits;
            sendKeyId = SendKeyIdFor(epoch, state.IndexBits, state.OwnIndex);
        }

        Raise(new SFrameKeysChangedEventArgs(SFrameKeyChange.SendKeyChanged, sendKeyId));
        return true;
    }

    /// <summary>Retires an epoch once no frames of it are expected any more.</summary>
    /// <returns>Whether that epoch was installed.</returns>
    public bool RemoveEpoch(ulong epoch)
    {
        ulong bits = epoch & MlsSFrameKeyId.EpochMask(EpochBits);
        lock (_lock)
        {
            if (!_epochs.TryGetValue(bits, out var state) || state.Number != epoch)
            {
                return false;
            }

            RemoveLocked(bits);
        }

        Raise(new SFrameKeysChangedEventArgs(SFrameKeyChange.Removed, bits, MlsSFrameKeyId.EpochMask(EpochBits)));
        return true;
    }

    /// <inheritdoc />
    public bool TryGetSendKeyId(out ulong keyId)
    {
        lock (_lock)
        {
            if (_sendEpochBits is { } bits && _epochs.TryGetValue(bits, out var state))
            {
                keyId = SendKeyIdFor(state.Number, state.IndexBits, state.OwnIndex);
                return true;
            }
        }

        keyId = 0;
        return false;
    }

    /// <inheritdoc />
    public bool TryGetBaseKey(ulong keyId, SFrameKeyUsage usage, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        lock (_lock)
        {
            if (!_epochs.TryGetValue(keyId & MlsSFrameKeyId.EpochMask(EpochBits), out var state) ||
                destination.Length < state.BaseKey.Length)
            {
                return false;
            }

            MlsSFrameKeyId.Decompose(keyId, state.IndexBits, EpochBits, out ulong context, out uint index, out _);
            bool allowed = usage == SFrameKeyUsage.Encrypt
                ? index == state.OwnIndex && context == SendContext
                : index != state.OwnIndex && index < state.GroupSize && context <= MaxReceiveContext;
            if (!allowed)
            {
                return false;
            }

            // Every member shares the epoch's base key; the KID in the derivation separates them.
            state.BaseKey.CopyTo(destination);
            bytesWritten = state.BaseKey.Length;
            return true;
        }
    }

    /// <summary>Zeroes and forgets every epoch.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (ulong bits in _epochs.Keys.ToArray())
            {
                RemoveLocked(bits);
            }
        }
    }

    private ulong SendKeyIdFor(ulong epoch, int indexBits, uint ownIndex) =>
        MlsSFrameKeyId.Compose(SendContext, ownIndex, epoch, indexBits, EpochBits);

    private bool RemoveLocked(ulong bits)
    {
        if (!_epochs.Remove(bits, out var state))
        {
            return false;
        }

        CryptographicOperations.ZeroMemory(state.BaseKey);
        if (_sendEpochBits == bits)
        {
            _sendEpochBits = null;
        }

        return true;
    }

    private void Raise(SFrameKeysChangedEventArgs change) => KeysChanged?.Invoke(this, change);

    private sealed record Epoch(ulong Number, byte[] BaseKey, uint GroupSize, int IndexBits, uint OwnIndex);
}
