// Declarations of the UnityEditor 2021.3 API that the package's editor
// scripts use, with no behaviour, so Mono's mcs can type-check them on a
// machine without Unity. Every body throws; members mirror the public API.
using System;

namespace UnityEditor
{
    public class Editor : UnityEngine.ScriptableObject
    {
        public UnityEngine.Object target { get { throw new NotImplementedException(); } }
        public virtual void OnInspectorGUI() { throw new NotImplementedException(); }
        public bool DrawDefaultInspector() { throw new NotImplementedException(); }
        public void Repaint() { throw new NotImplementedException(); }
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class CustomEditor : Attribute
    {
        public CustomEditor(Type inspectedType) { }
    }

    public static class EditorApplication
    {
        public static bool isPlaying { get { throw new NotImplementedException(); } }
    }

    public static class EditorGUILayout
    {
        public static void Space() { throw new NotImplementedException(); }
        public static void LabelField(string label, UnityEngine.GUIStyle style) { throw new NotImplementedException(); }
        public static void LabelField(string label, string label2) { throw new NotImplementedException(); }
    }

    public static class EditorStyles
    {
        public static UnityEngine.GUIStyle boldLabel { get { throw new NotImplementedException(); } }
    }
}

namespace UnityEngine
{
    public sealed class GUIStyle
    {
    }
}

namespace UnityEditor.Build
{
    public interface IOrderedCallback
    {
        int callbackOrder { get; }
    }

    public interface IUnityLinkerProcessor : IOrderedCallback
    {
        string GenerateAdditionalLinkXmlFile(Reporting.BuildReport report, UnityLinker.UnityLinkerBuildPipelineData data);
    }

    public class BuildFailedException : Exception
    {
        public BuildFailedException(string message) : base(message) { }
    }
}

namespace UnityEditor.Build.Reporting
{
    public sealed class BuildReport : UnityEngine.Object
    {
    }
}

namespace UnityEditor.UnityLinker
{
    public sealed class UnityLinkerBuildPipelineData
    {
    }
}

namespace UnityEditor.PackageManager
{
    public sealed class PackageInfo
    {
        public string resolvedPath { get { throw new NotImplementedException(); } }
        public static PackageInfo FindForAssembly(System.Reflection.Assembly assembly) { throw new NotImplementedException(); }
    }
}
