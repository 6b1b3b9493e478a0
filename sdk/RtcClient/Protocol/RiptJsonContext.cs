using System.Text.Json.Serialization;

namespace RtcClient.Protocol;

/// <summary>Source-generated JSON metadata for every protocol body (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(Advertisement))]
[JsonSerializable(typeof(Directive))]
[JsonSerializable(typeof(CallEvent))]
[JsonSerializable(typeof(CallDocument))]
[JsonSerializable(typeof(PlaceCallRequest))]
[JsonSerializable(typeof(HandlerRegistration))]
[JsonSerializable(typeof(HandlerDocument))]
[JsonSerializable(typeof(TrunkGroupDocument))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(TrunkGroupList))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(IdentityVerification))]
public sealed partial class RiptJsonContext : JsonSerializerContext
{
}
