namespace RtcClient.Identity;

/// <summary>The alternatives of an RFC 8226 TNEntry.</summary>
public enum TnAuthEntryKind
{
    /// <summary><c>spc [0]</c>: a service provider code; says nothing about numbers by itself.</summary>
    ServiceProviderCode,
    /// <summary><c>range [1]</c>: <see cref="TnAuthEntry.Count"/> consecutive numbers from <see cref="TnAuthEntry.Value"/>.</summary>
    Range,
    /// <summary><c>one [2]</c>: a single telephone number.</summary>
    One,
}
