using System.Threading;
using Grpc.Core;
using UnityEngine;
using VRPerception.Core;
using VRPerception.Transport;
using V1 = VRPerception.V1;

namespace VRPerception.Unity
{
    /// <summary>
    /// Streams camera frames to the server's TrackObjects call (COCO objects
    /// and fiducial markers) and raises the results on the main thread.
    /// </summary>
    /// <remarks>
    /// Marker poses need the camera's intrinsics: from <see cref="intrinsicsCamera"/>
    /// when the feed is a RenderTexture that camera renders, or from a calibration
    /// entered in pixels. With <see cref="cameraTransform"/> set, every frame carries
    /// camera_to_world and markers come back with world poses, which
    /// <see cref="UnityConversions.TryToUnityPose"/> turns into Unity world poses.
    /// </remarks>
    [AddComponentMenu("VRPerception/Object Detector Source")]
    public sealed class ObjectDetectorSource : FrameSourceComponent<V1.TrackObjectsRequest, V1.ObjectsResult>
    {
        [Header("Detector")]
        [Tooltip("Labels to report, for example \"cup\"; empty reports every class.")]
        [SerializeField] private string[] classAllowlist = new string[0];

        [Tooltip("Minimum score in [0, 1]; 0 uses the model's default.")]
        [Range(0f, 1f)]
        [SerializeField] private float scoreThreshold;

        [Tooltip("Most detections per frame; 0 means 100.")]
        [SerializeField] private int maxDetections;

        [Tooltip("Skip the object detector and look for markers only.")]
        [SerializeField] private bool markersOnly;

        [Header("Markers")]
        [SerializeField] private V1.MarkerDictionary[] markerDictionaries = new V1.MarkerDictionary[0];

        [Tooltip("Side of the printed markers in metres; 0 reports corners without poses.")]
        [SerializeField] private float markerSizeMeters;

        [Header("Camera geometry")]
        [Tooltip("Camera that renders the RenderTexture feed; its field of view gives the intrinsics.")]
        [SerializeField] private Camera intrinsicsCamera;

        [Tooltip("Calibrated intrinsics in pixels (fx, fy, cx, cy) of a device camera; all zero leaves them unset.")]
        [SerializeField] private Vector4 calibratedIntrinsics;

        [Tooltip("Camera pose in the world, sent as camera_to_world so markers get world poses.")]
        [SerializeField] private Transform cameraTransform;

        [Header("Results (main thread)")]
        public ObjectsResultEvent ObjectsUpdated = new ObjectsResultEvent();

        /// <summary>The newest result, or null before the first one.</summary>
        public V1.ObjectsResult LatestResult { get; private set; }

        protected override string StreamName
        {
            get { return "TrackObjects"; }
        }

        protected override V1.TrackObjectsRequest CreateFrameRequest(V1.ImageFrame image, PackedFrame frame)
        {
            image.Intrinsics = IntrinsicsFor(frame);
            if (cameraTransform != null)
            {
                image.CameraToWorld = UnityConversions.CameraToWorld(cameraTransform);
            }
            return new V1.TrackObjectsRequest { Frame = image };
        }

        // Intrinsics are in pixels of the image as displayed, which is the buffer itself.
        private V1.CameraIntrinsics IntrinsicsFor(PackedFrame frame)
        {
            if (calibratedIntrinsics.x > 0 && calibratedIntrinsics.y > 0)
            {
                return ProtoConversions.ToIntrinsics(
                    calibratedIntrinsics.x, calibratedIntrinsics.y, calibratedIntrinsics.z, calibratedIntrinsics.w);
            }
            if (intrinsicsCamera != null)
            {
                return UnityConversions.IntrinsicsOf(intrinsicsCamera, frame.Width, frame.Height);
            }
            return null;
        }

        protected override V1.TrackObjectsRequest CreateConfigRequest()
        {
            var config = new V1.ObjectsConfig
            {
                ScoreThreshold = scoreThreshold,
                MaxDetections = (uint)System.Math.Max(0, maxDetections),
                DisableDetector = markersOnly,
            };
            config.ClassAllowlist.AddRange(classAllowlist);
            if (markerDictionaries.Length > 0)
            {
                config.Markers = new V1.MarkerConfig { MarkerSizeM = markerSizeMeters };
                config.Markers.Dictionaries.AddRange(markerDictionaries);
            }
            return new V1.TrackObjectsRequest { Config = config };
        }

        protected override AsyncDuplexStreamingCall<V1.TrackObjectsRequest, V1.ObjectsResult> OpenCall(
            ChannelBase channel, CancellationToken token)
        {
            return new V1.ObjectRecognition.ObjectRecognitionClient(channel).TrackObjects(null, null, token);
        }

        protected override void OnResult(V1.ObjectsResult result)
        {
            LatestResult = result;
            ObjectsUpdated.Invoke(result);
        }
    }
}
