// Declarations of the UnityEngine 2021.3 API that the package's components
// and sample use, with no behaviour, so Mono's mcs can type-check them on a
// machine without Unity. Every body throws; members mirror the public API.
using System;
using System.Collections.Generic;

namespace UnityEngine
{
    public class Object
    {
        public string name { get; set; }
        public static void Destroy(Object obj) { throw new NotImplementedException(); }
        public static void DontDestroyOnLoad(Object target) { throw new NotImplementedException(); }
        public static T FindObjectOfType<T>() where T : Object { throw new NotImplementedException(); }
        public static implicit operator bool(Object exists) { throw new NotImplementedException(); }
    }

    public class Component : Object
    {
        public Transform transform { get { throw new NotImplementedException(); } }
        public GameObject gameObject { get { throw new NotImplementedException(); } }
        public T GetComponent<T>() { throw new NotImplementedException(); }
    }

    public class Behaviour : Component
    {
        public bool enabled { get; set; }
        public bool isActiveAndEnabled { get { throw new NotImplementedException(); } }
    }

    public class MonoBehaviour : Behaviour
    {
    }

    public class ScriptableObject : Object
    {
    }

    public sealed class GameObject : Object
    {
        public GameObject(string name) { }
        public Transform transform { get { throw new NotImplementedException(); } }
        public T GetComponent<T>() { throw new NotImplementedException(); }
        public T AddComponent<T>() where T : Component { throw new NotImplementedException(); }
        public void SetActive(bool value) { throw new NotImplementedException(); }
        public static GameObject CreatePrimitive(PrimitiveType type) { throw new NotImplementedException(); }
    }

    public enum PrimitiveType
    {
        Sphere, Capsule, Cylinder, Cube, Plane, Quad,
    }

    public class Transform : Component
    {
        public Vector3 position { get; set; }
        public Quaternion rotation { get; set; }
        public Vector3 localScale { get; set; }
        public Vector3 localEulerAngles { get; set; }
        public void SetParent(Transform parent) { throw new NotImplementedException(); }
        public void SetParent(Transform parent, bool worldPositionStays) { throw new NotImplementedException(); }
    }

    public class RectTransform : Transform
    {
    }

    public class Collider : Component
    {
    }

    public class Renderer : Component
    {
        public Material material { get; set; }
        public Material sharedMaterial { get; set; }
    }

    public sealed class LineRenderer : Renderer
    {
        public int positionCount { get; set; }
        public bool useWorldSpace { get; set; }
        public float widthMultiplier { get; set; }
        public Color startColor { get; set; }
        public Color endColor { get; set; }
        public void SetPosition(int index, Vector3 position) { throw new NotImplementedException(); }
    }

    public class Material : Object
    {
        public Material(Shader shader) { }
        public Color color { get; set; }
    }

    public sealed class Shader : Object
    {
        public static Shader Find(string name) { throw new NotImplementedException(); }
    }

    public sealed class Camera : Behaviour
    {
        public static Camera main { get { throw new NotImplementedException(); } }
        public float fieldOfView { get; set; }
        public Vector3 ViewportToWorldPoint(Vector3 position) { throw new NotImplementedException(); }
    }

    public struct Vector2
    {
        public float x;
        public float y;
        public Vector2(float x, float y) { throw new NotImplementedException(); }
    }

    public struct Vector3
    {
        public float x;
        public float y;
        public float z;
        public Vector3(float x, float y, float z) { throw new NotImplementedException(); }
        public static Vector3 one { get { throw new NotImplementedException(); } }
        public static Vector3 operator *(Vector3 a, float d) { throw new NotImplementedException(); }
    }

    public struct Vector4
    {
        public float x;
        public float y;
        public float z;
        public float w;
    }

    public struct Quaternion
    {
        public float x;
        public float y;
        public float z;
        public float w;
        public Quaternion(float x, float y, float z, float w) { throw new NotImplementedException(); }
    }

    public struct Pose
    {
        public Vector3 position;
        public Quaternion rotation;
        public Pose(Vector3 position, Quaternion rotation) { throw new NotImplementedException(); }
        public static Pose identity { get { throw new NotImplementedException(); } }
    }

    public struct Rect
    {
        public Rect(float x, float y, float width, float height) { throw new NotImplementedException(); }
    }

    public struct Color
    {
        public Color(float r, float g, float b) { throw new NotImplementedException(); }
        public static Color white { get { throw new NotImplementedException(); } }
        public static Color red { get { throw new NotImplementedException(); } }
        public static Color green { get { throw new NotImplementedException(); } }
        public static Color blue { get { throw new NotImplementedException(); } }
        public static Color yellow { get { throw new NotImplementedException(); } }
    }

    public struct Color32
    {
        public byte r;
        public byte g;
        public byte b;
        public byte a;
    }

    public static class Mathf
    {
        public const float Deg2Rad = 0.017453292f;
        public static float Max(float a, float b) { throw new NotImplementedException(); }
        public static int Max(int a, int b) { throw new NotImplementedException(); }
    }

    public static class Time
    {
        public static float unscaledTime { get { throw new NotImplementedException(); } }
    }

    public static class Debug
    {
        public static void Log(object message) { throw new NotImplementedException(); }
        public static void LogFormat(string format, params object[] args) { throw new NotImplementedException(); }
        public static void LogWarning(object message) { throw new NotImplementedException(); }
        public static void LogWarningFormat(string format, params object[] args) { throw new NotImplementedException(); }
        public static void LogError(object message) { throw new NotImplementedException(); }
        public static void LogErrorFormat(string format, params object[] args) { throw new NotImplementedException(); }
        public static void LogException(Exception exception) { throw new NotImplementedException(); }
    }

    public static class SystemInfo
    {
        public static bool supportsAsyncGPUReadback { get { throw new NotImplementedException(); } }
    }

    public enum KeyCode
    {
        Space = 32,
    }

    public static class Input
    {
        public static bool GetKeyDown(KeyCode key) { throw new NotImplementedException(); }
        public static bool GetKeyUp(KeyCode key) { throw new NotImplementedException(); }
    }

    public class Texture : Object
    {
        public virtual int width { get { throw new NotImplementedException(); } }
        public virtual int height { get { throw new NotImplementedException(); } }
    }

    public enum TextureFormat
    {
        RGBA32 = 4,
    }

    public sealed class Texture2D : Texture
    {
        public Texture2D(int width, int height, TextureFormat textureFormat, bool mipChain) { }
        public void ReadPixels(Rect source, int destX, int destY, bool recalculateMipMaps) { throw new NotImplementedException(); }
        public byte[] GetRawTextureData() { throw new NotImplementedException(); }
    }

    public class RenderTexture : Texture
    {
        public static RenderTexture active { get; set; }
    }

    public struct WebCamDevice
    {
        public string name { get { throw new NotImplementedException(); } }
        public bool isFrontFacing { get { throw new NotImplementedException(); } }
    }

    public sealed class WebCamTexture : Texture
    {
        public WebCamTexture(string deviceName, int requestedWidth, int requestedHeight, int requestedFPS) { }
        public static WebCamDevice[] devices { get { throw new NotImplementedException(); } }
        public bool isPlaying { get { throw new NotImplementedException(); } }
        public bool didUpdateThisFrame { get { throw new NotImplementedException(); } }
        public int videoRotationAngle { get { throw new NotImplementedException(); } }
        public bool videoVerticallyMirrored { get { throw new NotImplementedException(); } }
        public void Play() { throw new NotImplementedException(); }
        public void Stop() { throw new NotImplementedException(); }
        public Color32[] GetPixels32(Color32[] colors) { throw new NotImplementedException(); }
    }

    public sealed class AudioClip : Object
    {
        public int samples { get { throw new NotImplementedException(); } }
        public int channels { get { throw new NotImplementedException(); } }
        public int frequency { get { throw new NotImplementedException(); } }
        public bool GetData(float[] data, int offsetSamples) { throw new NotImplementedException(); }
    }

    public static class Microphone
    {
        public static string[] devices { get { throw new NotImplementedException(); } }
        public static AudioClip Start(string deviceName, bool loop, int lengthSec, int frequency) { throw new NotImplementedException(); }
        public static void End(string deviceName) { throw new NotImplementedException(); }
        public static int GetPosition(string deviceName) { throw new NotImplementedException(); }
        public static void GetDeviceCaps(string deviceName, out int minFreq, out int maxFreq) { throw new NotImplementedException(); }
    }

    public class TextAsset : Object
    {
        public string text { get { throw new NotImplementedException(); } }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class SerializeField : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class TooltipAttribute : Attribute
    {
        public TooltipAttribute(string tooltip) { }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class HeaderAttribute : Attribute
    {
        public HeaderAttribute(string header) { }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class RangeAttribute : Attribute
    {
        public RangeAttribute(float min, float max) { }
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class AddComponentMenu : Attribute
    {
        public AddComponentMenu(string menuName) { }
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class DisallowMultipleComponent : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Class)]
    public sealed class CreateAssetMenuAttribute : Attribute
    {
        public string fileName { get; set; }
        public string menuName { get; set; }
    }
}

namespace UnityEngine.Events
{
    public abstract class UnityEventBase
    {
    }

    public class UnityEvent : UnityEventBase
    {
        public void AddListener(Action call) { throw new NotImplementedException(); }
        public void RemoveListener(Action call) { throw new NotImplementedException(); }
        public void Invoke() { throw new NotImplementedException(); }
    }

    public abstract class UnityEvent<T0> : UnityEventBase
    {
        public void AddListener(Action<T0> call) { throw new NotImplementedException(); }
        public void RemoveListener(Action<T0> call) { throw new NotImplementedException(); }
        public void Invoke(T0 arg0) { throw new NotImplementedException(); }
    }

    public abstract class UnityEvent<T0, T1> : UnityEventBase
    {
        public void AddListener(Action<T0, T1> call) { throw new NotImplementedException(); }
        public void RemoveListener(Action<T0, T1> call) { throw new NotImplementedException(); }
        public void Invoke(T0 arg0, T1 arg1) { throw new NotImplementedException(); }
    }

    public abstract class UnityEvent<T0, T1, T2> : UnityEventBase
    {
        public void AddListener(Action<T0, T1, T2> call) { throw new NotImplementedException(); }
        public void RemoveListener(Action<T0, T1, T2> call) { throw new NotImplementedException(); }
        public void Invoke(T0 arg0, T1 arg1, T2 arg2) { throw new NotImplementedException(); }
    }
}

namespace UnityEngine.Rendering
{
    public struct AsyncGPUReadbackRequest
    {
        public bool hasError { get { throw new NotImplementedException(); } }
        public int width { get { throw new NotImplementedException(); } }
        public int height { get { throw new NotImplementedException(); } }
        public Unity.Collections.NativeArray<T> GetData<T>(int layer = 0) where T : struct { throw new NotImplementedException(); }
    }

    public static class AsyncGPUReadback
    {
        public static AsyncGPUReadbackRequest Request(
            Texture src, int mipIndex, TextureFormat dstFormat, Action<AsyncGPUReadbackRequest> callback) { throw new NotImplementedException(); }
    }
}

namespace Unity.Collections
{
    public struct NativeArray<T> where T : struct
    {
        public int Length { get { throw new NotImplementedException(); } }
        public void CopyTo(T[] array) { throw new NotImplementedException(); }
    }
}

namespace UnityEngine.UI
{
    public class RawImage : Behaviour
    {
        public Texture texture { get; set; }
        public Rect uvRect { get; set; }
        public RectTransform rectTransform { get { throw new NotImplementedException(); } }
    }

    public class Text : Behaviour
    {
        public string text { get; set; }
    }
}
