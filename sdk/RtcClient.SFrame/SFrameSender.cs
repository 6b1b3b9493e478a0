namespace RtcClient.SFrame;

/// <summary>
/// Encrypts media frames with SFrame for one outbound stream. Takes the current KID from the key
/// provider, keeps one monotonic CTR per KID for its whole lifetime (even across key removal,
/// so a re-added key never reuses a nonce), refuses to wrap, and never outputs clear media: without
/// a key the frame is dropped. Thread-safe; allocation-free per frame once a key is derived.
/// </summary>
public sealed class SFrameSender : IMediaFrameProtector, IDisposable
{
    private readonly ISFrameKeyProvider _keys;
    private readonly SFrameSenderOptions _options;
    private readonly SFrameCipherSuiteParameters _parameters;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, SendState> _states = [];
    private long _framesEncrypted;
    private long _keyMissing;
    private long _counterExhausted;
    private bool _disposed;

    /// <summary>Creates a sender bound to a key provider.</summary>
    /// <exception cref="ArgumentException">The options name an unsupported suite or <c>InitialCounter &gt; MaxCounter</c>.</exception>
    public SFrameSender(ISFrameKeyProvider keyProvider, SFrameSenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(keyProvider);
        ArgumentNullException.ThrowIfNull(options);
        _parameters = SFrameCipherSuites.GetParametersForOptions(options.CipherSuite, nameof(options));
        if (options.InitialCounter > options.MaxCounter)
        {
            throw new ArgumentException("InitialCounter exceeds MaxCounter.", nameof(options));
        }

        _keys = keyProvider;
        _options = options;
        _keys.KeysChanged += OnKeysChanged;
    }

    /// <summary>The stream's cipher suite.</summary>
    public SFrameCipherSuite CipherSuite => _parameters.Suite;

    /// <inheritdoc />
    public bool IsEndToEndEncrypted => true;

    /// <summary>A snapshot of the counters.</summary>
    public SFrameSenderStatistics Statistics => new(
        Interlocked.Read(ref _framesEncrypted),
        Interlocked.Read(ref _keyMissing),
        Interlocked.Read(ref _counterExhausted));

    /// <inheritdoc />
    public int GetMaxProtectedLength(int frameLength) =>
        checked(frameLength + SFrameHeader.MaxLength + _parameters.Nt);

    /// <summary>
    /// Encrypts one frame as <c>header || ciphertext || tag</c>. On any status but
    /// <see cref="SFrameStatus.Success"/> nothing was written and the frame must not be sent.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The sender was disposed.</exception>
    /// <exception cref="ArgumentException">The destination overlaps the inputs.</exception>
    public SFrameStatus Protect(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> metadata, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_keys.TryGetSendKeyId(out ulong keyId) || !TryGetState(keyId, out var state))
            {
                Interlocked.Increment(ref _keyMissing);
                return SFrameStatus.KeyMissing;
            }

            if (state.Exhausted)
            {
                Interlocked.Increment(ref _counterExhausted);
                return SFrameStatus.CounterExhausted;
            }

            var status = state.Key!.Encrypt(state.NextCounter, metadata, frame, destination, out bytesWritten);
            if (status != SFrameStatus.Success)
            {
                // Only DestinationTooSmall gets here; the counter was not used.
                return status;
            }

            if (state.NextCounter == _options.MaxCounter)
            {
                state.Exhausted = true;
            }
            else
            {
                state.NextCounter++;
            }

            Interlocked.Increment(ref _framesEncrypted);
            return SFrameStatus.Success;
        }
    }

    /// <summary>The CTR the next frame under a KID would use (for persisting a context, RFC 9605 section 9.1).</summary>
    /// <returns><see langword="null"/> when the KID is exhausted.</returns>
    public ulong? GetNextCounter(ulong keyId)
    {
        lock (_lock)
        {
            if (!_states.TryGetValue(keyId, out var state))
            {
                return _options.InitialCounter;
            }

            return state.Exhausted ? null : state.NextCounter;
        }
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
                state.DropKey();
            }
        }
    }

    private bool TryGetState(ulong keyId, out SendState state)
    {
        if (!_states.TryGetValue(keyId, out state!))
        {
            state = new SendState { NextCounter = _options.InitialCounter };
        }

        if (state.Key is null)
        {
            state.Key = SFrameKey.TryFetch(_keys, _parameters.Suite, keyId, SFrameKeyUsage.Encrypt);
            if (state.Key is null)
            {
                return false;
            }

            // Only KIDs that had a key get a counter entry, so the table grows with rotations only.
            _states[keyId] = state;
        }

        return true;
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
                    // The counter stays: if the same base key comes back, its nonces are not reused.
                    state.DropKey();
                }
            }
        }
    }

    private sealed class SendState
    {
        public SFrameKey? Key { get; set; }

        public ulong NextCounter { get; set; }

        public bool Exhausted { get; set; }

        public void DropKey()
        {
            Key?.Dispose();
            Key = null;
        }
    }
}
