using System.Security.Cryptography;

namespace RtcClient.SFrame;

/// <summary>
/// A key provider holding base keys set explicitly by KID: for tests and for simple deployments
/// where keys come from another channel (e.g. the sender-keys scheme of RFC 9605 section 5.1).
/// Thread-safe.
/// </summary>
public sealed class StaticSFrameKeyProvider : ISFrameKeyProvider, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, Entry> _keys = [];
    private ulong? _sendKeyId;
    private bool _disposed;

    /// <inheritdoc />
    public event EventHandler<SFrameKeysChangedEventArgs>? KeysChanged;

    /// <summary>
    /// Installs the local send key and switches the sender to it. The previous send key, if any,
    /// is withdrawn.
    /// </summary>
    /// <exception cref="InvalidOperationException">The KID is already a receive key.</exception>
    public void SetSendKey(ulong keyId, ReadOnlySpan<byte> baseKey)
    {
        ValidateBaseKey(baseKey);
        ulong? previous;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_keys.TryGetValue(keyId, out var existing) && existing.Usage != SFrameKeyUsage.Encrypt)
            {
                throw new InvalidOperationException($"KID {keyId} is a receive key; a key is for one usage only.");
            }

            previous = _sendKeyId;
            if (previous is { } old && old != keyId)
            {
                RemoveLocked(old);
            }

            ReplaceLocked(keyId, new Entry(SFrameKeyUsage.Encrypt, baseKey.ToArray()));
            _sendKeyId = keyId;
        }

        if (previous is { } prior && prior != keyId)
        {
            Raise(SFrameKeyChange.Removed, prior);
        }
        else if (previous == keyId)
        {
            Raise(SFrameKeyChange.Removed, keyId);
        }

        Raise(SFrameKeyChange.SendKeyChanged, keyId);
    }

    /// <summary>Installs (or replaces) the key of a remote sender.</summary>
    /// <exception cref="InvalidOperationException">The KID is the local send key.</exception>
    public void AddReceiveKey(ulong keyId, ReadOnlySpan<byte> baseKey)
    {
        ValidateBaseKey(baseKey);
        bool replaced;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_keys.TryGetValue(keyId, out var existing) && existing.Usage != SFrameKeyUsage.Decrypt)
            {
                throw new InvalidOperationException($"KID {keyId} is the send key; a key is for one usage only.");
            }

            replaced = ReplaceLocked(keyId, new Entry(SFrameKeyUsage.Decrypt, baseKey.ToArray()));
        }

        Raise(replaced ? SFrameKeyChange.Removed : SFrameKeyChange.Added, keyId);
    }

    /// <summary>Withdraws a key (e.g. a participant left). Removing the send key stops sending.</summary>
    /// <returns>Whether the KID was known.</returns>
    public bool RemoveKey(ulong keyId)
    {
        lock (_lock)
        {
            if (_disposed || !RemoveLocked(keyId))
            {
                return false;
            }

            if (_sendKeyId == keyId)
            {
                _sendKeyId = null;
            }
        }

        Raise(SFrameKeyChange.Removed, keyId);
        return true;
    }

    /// <inheritdoc />
    public bool TryGetSendKeyId(out ulong keyId)
    {
        lock (_lock)
        {
            keyId = _sendKeyId.GetValueOrDefault();
            return _sendKeyId.HasValue;
        }
    }

    /// <inheritdoc />
    public bool TryGetBaseKey(ulong keyId, SFrameKeyUsage usage, Span<byte> destination, out int bytesWritten)
    {
        lock (_lock)
        {
            if (_keys.TryGetValue(keyId, out var entry) && entry.Usage == usage && entry.BaseKey.Length <= destination.Length)
            {
                entry.BaseKey.CopyTo(destination);
                bytesWritten = entry.BaseKey.Length;
                return true;
            }
        }

        bytesWritten = 0;
        return false;
    }

    /// <summary>Zeroes and forgets every key.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var entry in _keys.Values)
            {
                CryptographicOperations.ZeroMemory(entry.BaseKey);
            }

            _keys.Clear();
            _sendKeyId = null;
        }
    }

    private static void ValidateBaseKey(ReadOnlySpan<byte> baseKey)
    {
        if (baseKey.Length is < SFrameKeyDerivation.MinBaseKeyLength or > SFrameKeyDerivation.MaxBaseKeyLength)
        {
            throw new ArgumentException(
                $"A base key is {SFrameKeyDerivation.MinBaseKeyLength} to {SFrameKeyDerivation.MaxBaseKeyLength} bytes.",
                nameof(baseKey));
        }
    }

    private bool ReplaceLocked(ulong keyId, Entry entry)
    {
        bool replaced = RemoveLocked(keyId);
        _keys[keyId] = entry;
        return replaced;
    }

    private bool RemoveLocked(ulong keyId)
    {
        if (!_keys.Remove(keyId, out var entry))
        {
            return false;
        }

        CryptographicOperations.ZeroMemory(entry.BaseKey);
        return true;
    }

    private void Raise(SFrameKeyChange change, ulong keyId) =>
        KeysChanged?.Invoke(this, new SFrameKeysChangedEventArgs(change, keyId));

    private sealed record Entry(SFrameKeyUsage Usage, byte[] BaseKey);
}
