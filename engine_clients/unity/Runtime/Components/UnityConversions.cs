using UnityEngine;
using VRPerception.Core;
using VRPerception.Transport;
using V1 = VRPerception.V1;

namespace VRPerception.Unity
{
    /// <summary>
    /// Converts protocol values (OpenCV camera frame, normalised top-left image
    /// coordinates) to Unity's left-handed Y-up metres and bottom-left viewport,
    /// and Unity camera poses back to the protocol.
    /// </summary>
    public static class UnityConversions
    {
        public static Vector3 ToUnity(Vec3 v)
        {
            return new Vector3((float)v.X, (float)v.Y, (float)v.Z);
        }

        public static Quaternion ToUnity(Quat q)
        {
            return new Quaternion((float)q.X, (float)q.Y, (float)q.Z, (float)q.W);
        }

        /// <summary>Converts a point in the OpenCV camera frame (metres) to Unity camera-local metres.</summary>
        public static Vector3 CameraPointToUnity(V1.Vector3 point)
        {
            return ToUnity(CoordinateConversion.OpenCvToUnityPoint(new Vec3(point.X, point.Y, point.Z)));
        }

        /// <summary>
        /// Converts a protocol pose (marker-to-camera or marker-to-world) to a
        /// Unity pose in camera-local or world space; false when the pose is unset.
        /// </summary>
        /// <remarks>
        /// The marker's own axes go through the same y flip, so in Unity the
        /// marker's up axis (transform.up) points along OpenCV's -y marker axis.
        /// </remarks>
        public static bool TryToUnityPose(V1.Pose pose, out Pose result)
        {
            RigidPose rigid;
            if (!ProtoConversions.TryFromProto(pose, out rigid))
            {
                result = Pose.identity;
                return false;
            }
            var unity = CoordinateConversion.OpenCvToUnityPose(rigid);
            result = new Pose(ToUnity(unity.Position), ToUnity(unity.Rotation));
            return true;
        }

        /// <summary>
        /// Builds ImageFrame.camera_to_world from a Unity camera transform.
        /// World poses that the server returns for such frames convert back to
        /// Unity world space with <see cref="TryToUnityPose"/>.
        /// </summary>
        public static V1.Pose CameraToWorld(Transform cameraTransform)
        {
            var position = cameraTransform.position;
            var rotation = cameraTransform.rotation;
            var unityPose = new RigidPose(
                new Vec3(position.x, position.y, position.z),
                new Quat(rotation.x, rotation.y, rotation.z, rotation.w));
            return ProtoConversions.ToProto(CoordinateConversion.UnityToOpenCvPose(unityPose));
        }

        /// <summary>Converts a landmark or point normalised to the image as displayed to Unity viewport coordinates.</summary>
        public static Vector2 ToViewport(float x, float y)
        {
            var viewport = CoordinateConversion.NormalizedToViewport(new Vec2(x, y));
            return new Vector2((float)viewport.X, (float)viewport.Y);
        }

        /// <summary>
        /// Computes pinhole intrinsics, in pixels, of a Unity camera that renders
        /// an image of <paramref name="width"/> by <paramref name="height"/>
        /// pixels, from its vertical field of view; lens shift is ignored.
        /// </summary>
        public static V1.CameraIntrinsics IntrinsicsOf(Camera camera, int width, int height)
        {
            double halfFov = 0.5 * camera.fieldOfView * Mathf.Deg2Rad;
            double fy = 0.5 * height / System.Math.Tan(halfFov);
            return ProtoConversions.ToIntrinsics(fy, fy, 0.5 * width, 0.5 * height);
        }
    }
}
