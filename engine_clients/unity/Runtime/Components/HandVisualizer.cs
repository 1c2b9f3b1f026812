using System.Collections.Generic;
using UnityEngine;
using VRPerception.Core;
using V1 = VRPerception.V1;

namespace VRPerception.Unity
{
    /// <summary>
    /// Draws the 21 landmarks of each tracked hand as spheres joined by lines,
    /// placed in front of a camera where they appear in the camera image.
    /// </summary>
    /// <remarks>
    /// Landmarks are normalised to the camera image as displayed. The
    /// visualizer assumes that image fills <see cref="viewCamera"/>'s viewport;
    /// with <see cref="matchUprightPreview"/> it turns them like a preview that
    /// is rotated upright by WebCamTexture.videoRotationAngle.
    /// </remarks>
    [AddComponentMenu("VRPerception/Hand Visualizer")]
    public sealed class HandVisualizer : MonoBehaviour
    {
        public const int LandmarkCount = 21;

        // MediaPipe hand topology: thumb, four fingers, then the palm's knuckle line.
        private static readonly int[][] BoneChains =
        {
            new[] { 0, 1, 2, 3, 4 },
            new[] { 0, 5, 6, 7, 8 },
            new[] { 9, 10, 11, 12 },
            new[] { 13, 14, 15, 16 },
            new[] { 0, 17, 18, 19, 20 },
            new[] { 5, 9, 13, 17 },
        };

        [SerializeField] private HandTrackingSource source;

        [Tooltip("Camera whose viewport shows the camera image; empty uses Camera.main.")]
        [SerializeField] private Camera viewCamera;

        [Tooltip("Distance of the wrist from the view camera, in metres.")]
        [SerializeField] private float distanceMeters = 0.6f;

        [Tooltip("Metres of depth per unit of landmark z (which is in image widths, negative towards the camera).")]
        [SerializeField] private float depthScaleMeters = 0.6f;

        [SerializeField] private float jointRadiusMeters = 0.008f;

        [SerializeField] private float boneWidthMeters = 0.003f;

        [Tooltip("Turn landmarks by the frame's rotation, to match a preview shown upright.")]
        [SerializeField] private bool matchUprightPreview = true;

        [SerializeField] private Color leftColor = new Color(0.2f, 0.6f, 1f);

        [SerializeField] private Color rightColor = new Color(1f, 0.5f, 0.2f);

        [SerializeField] private Color pinchColor = Color.green;

        [Tooltip("Material for joints and bones; empty uses a default unlit one.")]
        [SerializeField] private Material material;

        private sealed class HandRig
        {
            public GameObject Root;
            public Transform[] Joints;
            public Renderer[] JointRenderers;
            public LineRenderer[] Bones;
        }

        private readonly List<HandRig> rigs = new List<HandRig>();
        private readonly Vector3[] positions = new Vector3[LandmarkCount];

        private void OnEnable()
        {
            if (source == null)
            {
                source = FindObjectOfType<HandTrackingSource>();
            }
            if (source == null)
            {
                Debug.LogError("VRPerception: HandVisualizer found no HandTrackingSource");
                enabled = false;
                return;
            }
            if (material == null)
            {
                // Sprites/Default is a built-in unlit shader that uses vertex colours, which the lines set.
                var shader = Shader.Find("Sprites/Default");
                if (shader == null)
                {
                    Debug.LogError("VRPerception: HandVisualizer needs a material; the Sprites/Default shader is not in this build");
                    enabled = false;
                    return;
                }
                material = new Material(shader);
            }
            source.HandsUpdated.AddListener(OnHands);
        }

        private void OnDisable()
        {
            if (source != null)
            {
                source.HandsUpdated.RemoveListener(OnHands);
            }
            foreach (var rig in rigs)
            {
                rig.Root.SetActive(false);
            }
        }

        private void OnHands(V1.HandsResult result)
        {
            var cameraToUse = viewCamera != null ? viewCamera : Camera.main;
            if (cameraToUse == null)
            {
                return;
            }
            while (rigs.Count < result.Hands.Count)
            {
                rigs.Add(CreateRig(rigs.Count));
            }
            for (int i = 0; i < rigs.Count; i++)
            {
                bool visible = i < result.Hands.Count && result.Hands[i].Landmarks.Count == LandmarkCount;
                rigs[i].Root.SetActive(visible);
                if (visible)
                {
                    UpdateRig(rigs[i], result.Hands[i], cameraToUse);
                }
            }
        }

        private void UpdateRig(HandRig rig, V1.Hand hand, Camera cameraToUse)
        {
            var rotation = matchUprightPreview ? source.Feed.LastOrientation.Rotation : FrameRotation.Deg0;
            for (int i = 0; i < LandmarkCount; i++)
            {
                var landmark = hand.Landmarks[i];
                var turned = CoordinateConversion.RotateNormalized(new Vec2(landmark.X, landmark.Y), rotation);
                var viewport = UnityConversions.ToViewport((float)turned.X, (float)turned.Y);
                float depth = distanceMeters + landmark.Z * depthScaleMeters;
                positions[i] = cameraToUse.ViewportToWorldPoint(new Vector3(viewport.x, viewport.y, depth));
                rig.Joints[i].position = positions[i];
            }

            bool pinching = source.Tracker.IsPinching(hand.TrackingId);
            var color = pinching ? pinchColor : (hand.Handedness == V1.Handedness.Left ? leftColor : rightColor);
            foreach (var jointRenderer in rig.JointRenderers)
            {
                jointRenderer.material.color = color;
            }
            for (int chain = 0; chain < BoneChains.Length; chain++)
            {
                var line = rig.Bones[chain];
                line.startColor = color;
                line.endColor = color;
                for (int j = 0; j < BoneChains[chain].Length; j++)
                {
                    line.SetPosition(j, positions[BoneChains[chain][j]]);
                }
            }
        }

        private HandRig CreateRig(int index)
        {
            var rig = new HandRig
            {
                Root = new GameObject("Hand " + index),
                Joints = new Transform[LandmarkCount],
                JointRenderers = new Renderer[LandmarkCount],
                Bones = new LineRenderer[BoneChains.Length],
            };
            rig.Root.transform.SetParent(transform, false);

            for (int i = 0; i < LandmarkCount; i++)
            {
                var joint = GameObject.CreatePrimitive(PrimitiveType.Sphere);
                joint.name = "Landmark " + i;
                // The spheres only show positions; colliders would interfere with physics.
                Destroy(joint.GetComponent<Collider>());
                joint.transform.SetParent(rig.Root.transform, false);
                joint.transform.localScale = Vector3.one * (2f * jointRadiusMeters);
                rig.Joints[i] = joint.transform;
                rig.JointRenderers[i] = joint.GetComponent<Renderer>();
                rig.JointRenderers[i].sharedMaterial = material;
            }
            for (int chain = 0; chain < BoneChains.Length; chain++)
            {
                var bone = new GameObject("Bones " + chain);
                bone.transform.SetParent(rig.Root.transform, false);
                var line = bone.AddComponent<LineRenderer>();
                line.positionCount = BoneChains[chain].Length;
                line.useWorldSpace = true;
                line.widthMultiplier = boneWidthMeters;
                line.sharedMaterial = material;
                rig.Bones[chain] = line;
            }
            return rig;
        }
    }
}
