namespace RtcClient.Media.Simulation;

/// <summary>What a simulated link did.</summary>
/// <param name="Sent">Datagrams handed to the link.</param>
/// <param name="Lost">Datagrams dropped by random loss.</param>
/// <param name="Duplicated">Extra copies delivered.</param>
/// <param name="Reordered">Datagrams held back to be overtaken.</param>
/// <param name="Oversize">Datagrams refused as larger than the link's maximum.</param>
/// <param name="Delivered">Datagrams delivered to the receiver (copies included).</param>
public readonly record struct SimulatedLinkStatistics(long Sent, long Lost, long Duplicated, long Reordered, long Oversize, long Delivered);
