using UnityEditor;
using VRPerception.Unity;

namespace VRPerception.Editor
{
    /// <summary>Shows the connection state and the server's handshake response under the PerceptionClient inspector.</summary>
    [CustomEditor(typeof(PerceptionClient))]
    internal sealed class PerceptionClientEditor : UnityEditor.Editor
    {
        public override void OnInspectorGUI()
        {
            DrawDefaultInspector();
            if (!EditorApplication.isPlaying)
            {
                return;
            }

            var client = (PerceptionClient)target;
            EditorGUILayout.Space();
            EditorGUILayout.LabelField("Connection", EditorStyles.boldLabel);
            var info = client.ServerInfo;
            if (info == null)
            {
                EditorGUILayout.LabelField("State", client.Channel != null ? "connecting" : "not started");
                return;
            }
            EditorGUILayout.LabelField("State", "connected");
            EditorGUILayout.LabelField("Server version", info.ServerVersion);
            EditorGUILayout.LabelField("Protocol", info.ProtocolVersion);
            EditorGUILayout.LabelField("Capabilities", string.Join(", ", info.Capabilities));
            foreach (var model in info.Models)
            {
                EditorGUILayout.LabelField("Model " + model.Name, model.Task + " " + model.Version);
            }
            if (info.Limits != null)
            {
                EditorGUILayout.LabelField("Max streams", info.Limits.MaxStreams.ToString());
                EditorGUILayout.LabelField(
                    "Max frame", string.Format("{0}x{1} px, {2} bytes", info.Limits.MaxWidth, info.Limits.MaxHeight, info.Limits.MaxFrameBytes));
            }
            Repaint();
        }
    }
}
