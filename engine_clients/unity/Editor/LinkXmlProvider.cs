using System.IO;
using UnityEditor.Build;
using UnityEditor.Build.Reporting;
using UnityEditor.UnityLinker;
using PackageInfo = UnityEditor.PackageManager.PackageInfo;

namespace VRPerception.Editor
{
    /// <summary>
    /// Passes the package's link.xml to the Unity linker, which ignores
    /// link.xml files inside packages installed through the Package Manager.
    /// </summary>
    internal sealed class LinkXmlProvider : IUnityLinkerProcessor
    {
        public int callbackOrder
        {
            get { return 0; }
        }

        public string GenerateAdditionalLinkXmlFile(BuildReport report, UnityLinkerBuildPipelineData data)
        {
            // resolvedPath is the package's folder on disk, which for a git
            // package lies under Library/PackageCache rather than Packages/.
            var package = PackageInfo.FindForAssembly(typeof(LinkXmlProvider).Assembly);
            string root = package != null ? package.resolvedPath : Path.GetFullPath("Packages/com.vrperception.client");
            string linkXml = Path.Combine(root, "link.xml");
            if (!File.Exists(linkXml))
            {
                throw new BuildFailedException(
                    "VRPerception: " + linkXml + " is missing; reinstall com.vrperception.client, " +
                    "or IL2CPP strips the protobuf and gRPC types it needs");
            }
            return linkXml;
        }
    }
}
