// Build rules of the VRPerception runtime module.
//
// The module links the vrperception C++ client core (engine_clients/cpp)
// and gRPC as prebuilt static libraries from Source/ThirdParty/grpc. The
// README there explains how to build them per platform.
using System.IO;
using UnrealBuildTool;

public class VRPerception : ModuleRules
{
	public VRPerception(ReadOnlyTargetRules Target) : base(Target)
	{
		PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;

		PublicDependencyModuleNames.AddRange(new string[]
		{
			"Core",
			"CoreUObject",
			"Engine",
			"DeveloperSettings",
		});
		PrivateDependencyModuleNames.AddRange(new string[]
		{
			"RenderCore",
			"RHI",
		});

		string ThirdPartyDir = Path.Combine(PluginDirectory, "Source", "ThirdParty", "grpc");
		string IncludeDir = Path.Combine(ThirdPartyDir, "include");
		string LibDir = Path.Combine(ThirdPartyDir, "lib", Target.Platform.ToString());

		// Headers of gRPC, protobuf, abseil, the client core and its
		// generated vrperception/v1/*.pb.h files.
		PrivateIncludePaths.Add(IncludeDir);

		if (!Directory.Exists(LibDir))
		{
			throw new BuildException(
				"VRPerception: no prebuilt libraries in " + LibDir +
				". Build gRPC and the client core for " + Target.Platform +
				" as Source/ThirdParty/grpc/README.md describes.");
		}

		// Every static library of the platform folder: the client core,
		// its generated protos, gRPC, protobuf, abseil, c-ares, re2, upb,
		// address_sorting, BoringSSL/OpenSSL and zlib.
		// NOTE: GNU-style linkers resolve static libraries in order; if a
		// platform reports undefined gRPC or abseil symbols, list these
		// libraries explicitly in dependency order instead.
		string Pattern = Target.Platform == UnrealTargetPlatform.Win64 ? "*.lib" : "*.a";
		foreach (string Library in Directory.GetFiles(LibDir, Pattern))
		{
			PublicAdditionalLibraries.Add(Library);
		}

		// The generated protobuf code was built without RTTI, as Unreal
		// modules are by default.
		PublicDefinitions.Add("GOOGLE_PROTOBUF_NO_RTTI=1");
		PublicDefinitions.Add("GPR_FORBID_UNREACHABLE_CODE=1");
		PublicDefinitions.Add("GRPC_ALLOW_EXCEPTIONS=0");

		if (Target.Platform == UnrealTargetPlatform.Win64)
		{
			PublicSystemLibraries.AddRange(new string[] { "ws2_32.lib", "crypt32.lib", "iphlpapi.lib" });
		}
	}
}
