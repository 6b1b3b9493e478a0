namespace RtcClient.Http3.WebTransport;

/// <summary>How a WebTransport session ended.</summary>
/// <param name="ErrorCode">The application error code of WT_CLOSE_SESSION (0 for a clean FIN without it).</param>
/// <param name="Message">The UTF-8 message of WT_CLOSE_SESSION.</param>
/// <param name="Abrupt">True when the CONNECT stream was reset or the connection closed instead.</param>
public readonly record struct WebTransportCloseInfo(uint ErrorCode, string Message, bool Abrupt);
