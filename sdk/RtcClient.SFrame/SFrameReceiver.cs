using System.Diagnostics.CodeAnalysis;

namespace RtcClient.SFrame;

/// <summary>
/// Decrypts media frames of remote senders. Looks the KID up through the key provider (caching
/// the derived key), rejects replays with a sliding window per KID, and drops every frame that
/// is malformed, unknown, replayed or not authentic, counting it and raising
/// <see cref="KeyMissing"/> or <see cref="AuthenticationFailed"/>. Untrusted input never throws.
/// Thread-safe; allocation-free per accepted frame once a key is cached.
/// </summary>
public sealed class SFrameReceiver : IMediaFrameUnprotector, IDisposable
{
    private readonly ISFrameKeyProvider _keys;
    private readonly SFrameReceiverOptions _options;
    private readonly SFrameCipherSuiteParameters _parameters;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, ReceiveState> _states = [];
    private long _useClock;
    private long _framesDecrypted;
    private long _authenticationFailures;
    private long _keyMissing;
    private long _replays;
    private long _malformed;
    private bool _disposed;

    /// <summary>Creates a receiver bound to a key provider.</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public SFrameReceiver(ISFrameKeyProvider keyProvider, SFrameReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(keyProvider);
        ArgumentNullException.ThrowIfNull(options);
        _parameters = SFrameCipherSuites.GetParametersForOptions(options.CipherSuite, nameof(options));
        _ = new SFrameReplayWindow(options.ReplayWindowSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCachedKeys, 1, nameof(options));
        _keys = keyProvider;
        _options = options;
        _keys.KeysChanged += OnKeysChanged;
    }

    /// <summary>A frame arrived whose KID has no key; it was dropped. Handlers must not throw.</summary>
    public event EventHandler<SFrameFrameEventArgs>? KeyMissing;

    /// <summary>A frame failed authentication; it was dropped. Handlers must not throw.</summary>
    public event EventHandler<SFrameFrameEventArgs>? AuthenticationFailed;

    /// <summary>The stream's cipher suite.</summary>
    public SFrameCipherSuite CipherSuite => _parameters.Suite;

    /// <inheritdoc />
    public bool IsEndToEndEncrypted => true;

    /// <summary>A snapshot of the counters.</summary>
    public SFrameReceiverStatistics Statistics => new(
        Interlocked.Read(ref _framesDecrypted),
        Interlocked.Read(ref _authenticationFailures),
        Interlocked.Read(ref _keyMissing),
        Interlocked.Read(ref _replays),
        Interlocked.Read(ref _malformed));

    /// <inheritdoc />
    public int GetMaxUnprotectedLength(int protectedLength) => Math.Max(0, protectedLength - 1 - _parameters.Nt);

    /// <summary>Authenticates and decrypts one SFrame ciphertext into <paramref name="destination"/>.</summary>
    /// <returns>
    /// <see cref="SFrameStatus.Success"/>, or why the frame was dropped (nothing usable written):
    /// <see cref="SFrameStatus.MalformedFrame"/>, <see cref="SFrameStatus.KeyMissing"/>,
    /// <see cref="SFrameStatus.Replayed"/>, <see cref="SFrameStatus.AuthenticationFailed"/>, or
    /// <see cref="SFrameStatus.DestinationTooSmall"/> (a caller error, not counted).
    /// </returns>
    /// <exception cref="ObjectDisposedException">The receiver was disposed.</exception>
    /// <exception cref="ArgumentException">The destination overlaps the inputs.</exception>
    public SFrameStatus Unprotect(ReadOnlySpan<byte> protectedFrame, ReadOnlySpan<byte> metadata, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (SFrameHeader.TryDecode(protectedFrame, out var header, out int headerLength) != SFrameHeaderStatus.Valid ||
            protectedFrame.Length - headerLength < _parameters.Nt)
        {
            Interlocked.Increment(ref _malformed);
            return SFrameStatus.MalformedFrame;
        }

        SFrameStatus status;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!TryGetState(header.KeyId, out var state, out bool cached))
            {
                status = SFrameStatus.KeyMissing;
            }
            else
            {
                try
                {
                    status = Decrypt(state, header, protectedFrame, headerLength, metadata, destination, out bytesWritten);
                    if (status == SFrameStatus.Success && !cached)
                    {
                        // Only KIDs that delivered an authentic frame enter the cache, so
                        // forgeries cannot evict another stream's replay state.
                        Cache(header.KeyId, state);
                        cached = true;
                    }
                }
                finally
                {
                    if (!cached)
                    {
                        state.Key.Dispose();
                    }
                }
            }
        }

        switch (status)
        {
            case SFrameStatus.Success:
                Interlocked.Increment(ref _framesDecrypted);
                break;
            case SFrameStatus.KeyMissing:
                Interlocked.Increment(ref _keyMissing);
                KeyMissing?.Invoke(this, new SFrameFrameEventArgs(header.KeyId, header.Counter));
                break;
            case SFrameStatus.Replayed:
                Interlocked.Increment(ref _replays);
                break;
            case SFrameStatus.AuthenticationFailed:
                Interlocked.Increment(ref _authenticationFailures);
                AuthenticationFailed?.Invoke(this, new SFrameFrameEventArgs(header.KeyId, header.Counter));
                break;
            case SFrameStatus.MalformedFrame:
                Interlocked.Increment(ref _malformed);
                break;
        }

        return status;
    }

    /// <summary>Stops listening to the provider and zeroes the derived keys.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _keys.KeysChanged -= OnKeysChanged;
            foreach (var state in _states.Values)
            {
                state.Key.Dispose();
            }

            _states.Clear();
        }
    }

    /// <summary>Replay check, then authenticated decryption; only an authentic counter moves the window.</summary>
    private static SFrameStatus Decrypt(
        ReceiveState state,
        SFrameHeader header,
        ReadOnlySpan<byte> protectedFrame,
        int headerLength,
        ReadOnlySpan<byte> metadata,
        Span<byte> destination,
        out int bytesWritten)
    {
        bytesWritten = 0;
        if (state.Window.IsReplay(header.Counter))
        {
            return SFrameStatus.Replayed;
        }

        var status = state.Key.Decrypt(header, protectedFrame[..headerLength], protectedFrame[headerLength..], metadata, destination, out bytesWritten);
        if (status == SFrameStatus.Success)
        {
            state.Window.Accept(header.Counter);
        }

        return status;
    }

    /// <summary>The cached state of a KID, or a fresh uncached one when the provider knows the KID.</summary>
    private bool TryGetState(ulong keyId, [NotNullWhen(true)] out ReceiveState? state, out bool cached)
    {
        cached = _states.TryGetValue(keyId, out state);
        if (cached)
        {
            state!.LastUsed = ++_useClock;
            return true;
        }

        var key = SFrameKey.TryFetch(_keys, _parameters.Suite, keyId, SFrameKeyUsage.Decrypt);
        state = key is null ? null : new ReceiveState(key, new SFrameReplayWindow(_options.ReplayWindowSize));
        return state is not null;
    }

    private void Cache(ulong keyId, ReceiveState state)
    {
        if (_states.Count >= _options.MaxCachedKeys)
        {
            EvictLeastRecentlyUsed();
        }

        state.LastUsed = ++_useClock;
        _states[keyId] = state;
    }

    private void EvictLeastRecentlyUsed()
    {
        ulong victim = 0;
        long oldest = long.MaxValue;
        foreach (var (keyId, state) in _states)
        {
            if (state.LastUsed < oldest)
            {
                oldest = state.LastUsed;
                victim = keyId;
            }
        }

        if (_states.Remove(victim, out var evicted))
        {
            evicted.Key.Dispose();
        }
    }

    private void OnKeysChanged(object? sender, SFrameKeysChangedEventArgs change)
    {
        if (change.Change != SFrameKeyChange.Removed)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var (keyId, state) in _states)
            {
                if (change.Matches(keyId))
                {
                    state.Key.Dispose();
                    _states.Remove(keyId);
                }
            }
        }
    }

    private sealed class ReceiveState(SFrameKey key, SFrameReplayWindow window)
    {
        public SFrameKey Key { get; } = key;

        public SFrameReplayWindow Window { get; } = window;

        public long LastUsed { get; set; }
    }
}
