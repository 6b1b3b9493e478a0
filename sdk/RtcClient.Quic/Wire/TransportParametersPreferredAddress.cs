using System.Net;

namespace RtcClient.Quic.Wire;

/// <summary>
/// The server's preferred_address transport parameter (RFC 9000 section 18.2): an IPv4 and/or IPv6
/// address, a connection ID (sequence number 1) and its stateless reset token.
/// </summary>
/// <param name="IPv4">IPv4 address and port, or null (sent as 0.0.0.0:0).</param>
/// <param name="IPv6">IPv6 address and port, or null (sent as [::]:0).</param>
/// <param name="ConnectionId">Connection ID, 1 to 20 bytes.</param>
/// <param name="StatelessResetToken">Stateless reset token of that connection ID, 16 bytes.</param>
public sealed record TransportParametersPreferredAddress(IPEndPoint? IPv4, IPEndPoint? IPv6, byte[] ConnectionId, byte[] StatelessResetToken);
