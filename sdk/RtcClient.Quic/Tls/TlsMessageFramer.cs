namespace RtcClient.Quic.Tls;

/// <summary>
/// Reassembles handshake messages (type, uint24 length, body) from CRYPTO stream bytes that may be
/// split anywhere. Buffering is bounded: a message body longer than <see cref="MaxMessageLength"/>
/// is refused with illegal_parameter as soon as its header is seen, so at most 4 + 64 KiB is held.
/// 64 KiB fits certificate chains of several large RSA certificates, far more than QUIC peers send.
/// A message type the handshake does not expect now is refused (unexpected_message) as soon as its
/// header arrives, before its body is buffered.
/// </summary>
internal sealed class TlsMessageFramer(Func<TlsHandshakeType, bool> isExpected)
{
    /// <summary>Largest handshake message body accepted (64 KiB).</summary>
    public const int MaxMessageLength = 64 * 1024;

    private const int HeaderLength = 4;
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>True when a partial message is buffered.</summary>
    public bool HasPartialMessage => _length > 0;

    /// <summary>
    /// Consumes bytes from <paramref name="input"/> until one whole message is buffered; returns it
    /// (header included) or null when <paramref name="input"/> ran out first.
    /// </summary>
    public byte[]? TryReadMessage(ref ReadOnlySpan<byte> input)
    {
        if (_length < HeaderLength)
        {
            int take = Math.Min(HeaderLength - _length, input.Length);
            Append(input[..take]);
            input = input[take..];
            if (_length < HeaderLength) return null;
        }

        if (!isExpected((TlsHandshakeType)_buffer[0]))
            throw new TlsAlertException(TlsAlert.UnexpectedMessage, $"handshake message type {_buffer[0]} is not expected now");
        int bodyLength = _buffer[1] << 16 | _buffer[2] << 8 | _buffer[3];
        if (bodyLength > MaxMessageLength)
            throw new TlsAlertException(TlsAlert.IllegalParameter, $"handshake message of {bodyLength} bytes exceeds the {MaxMessageLength}-byte limit");

        int need = HeaderLength + bodyLength - _length;
        int n = Math.Min(need, input.Length);
        Append(input[..n]);
        input = input[n..];
        if (_length < HeaderLength + bodyLength) return null;

        var message = _buffer.AsSpan(0, _length).ToArray();
        _length = 0;
        return message;
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_length + data.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + data.Length));
        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }
}
