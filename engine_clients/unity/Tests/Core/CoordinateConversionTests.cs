using System.Collections.Generic;
using NUnit.Framework;

namespace VRPerception.Core.Tests
{
    [TestFixture]
    public class CoordinateConversionTests
    {
        public static IEnumerable<TestCaseData> Points3d()
        {
            foreach (var c in TestVectors.Cases("points_3d"))
            {
                yield return new TestCaseData(c).SetName("Point3d_" + c["name"]);
            }
        }

        public static IEnumerable<TestCaseData> Rotations()
        {
            foreach (var c in TestVectors.Cases("rotations"))
            {
                yield return new TestCaseData(c).SetName("Rotation_" + c["name"]);
            }
        }

        public static IEnumerable<TestCaseData> Poses()
        {
            foreach (var c in TestVectors.Cases("poses"))
            {
                yield return new TestCaseData(c).SetName("Pose_" + c["name"]);
            }
        }

        public static IEnumerable<TestCaseData> Points2d()
        {
            foreach (var c in TestVectors.Cases("points_2d"))
            {
                yield return new TestCaseData(c).SetName("Point2d_" + c["name"]);
            }
        }

        [TestCaseSource("Points3d")]
        public void PointMatchesVector(Dictionary<string, object> c)
        {
            var opencv = TestVectors.ToVec3(c["opencv_m"]);
            var unity = TestVectors.ToVec3(c["unity_m"]);

            AssertVec3(unity, CoordinateConversion.OpenCvToUnityPoint(opencv), "OpenCV to Unity");
            AssertVec3(opencv, CoordinateConversion.UnityToOpenCvPoint(unity), "Unity to OpenCV");
        }

        [TestCaseSource("Rotations")]
        public void RotationMatchesVector(Dictionary<string, object> c)
        {
            var opencv = TestVectors.ToQuat(c["opencv"]);
            var unity = TestVectors.ToQuat(c["unity"]);

            AssertQuat(unity, CoordinateConversion.OpenCvToUnityRotation(opencv), "OpenCV to Unity");
            AssertQuat(opencv, CoordinateConversion.UnityToOpenCvRotation(unity), "Unity to OpenCV");
        }

        [TestCaseSource("Rotations")]
        public void RotationConjugatesPoints(Dictionary<string, object> c)
        {
            // Rotating in OpenCV then converting must equal converting then rotating in Unity.
            var opencvRotation = TestVectors.ToQuat(c["opencv"]);
            var unityRotation = CoordinateConversion.OpenCvToUnityRotation(opencvRotation);
            var point = new Vec3(0.3, -0.7, 1.9);

            var viaOpenCv = CoordinateConversion.OpenCvToUnityPoint(opencvRotation.Rotate(point));
            var viaUnity = unityRotation.Rotate(CoordinateConversion.OpenCvToUnityPoint(point));

            AssertVec3(viaOpenCv, viaUnity, "rotated point");
        }

        [TestCaseSource("Poses")]
        public void PoseMatchesVector(Dictionary<string, object> c)
        {
            var opencvCase = (Dictionary<string, object>)c["opencv"];
            var unityCase = (Dictionary<string, object>)c["unity"];
            var opencv = new RigidPose(TestVectors.ToVec3(opencvCase["position_m"]), TestVectors.ToQuat(opencvCase["rotation"]));
            var expected = new RigidPose(TestVectors.ToVec3(unityCase["position_m"]), TestVectors.ToQuat(unityCase["rotation"]));

            var unity = CoordinateConversion.OpenCvToUnityPose(opencv);
            var back = CoordinateConversion.UnityToOpenCvPose(unity);

            AssertVec3(expected.Position, unity.Position, "Unity position");
            AssertQuat(expected.Rotation, unity.Rotation, "Unity rotation");
            AssertVec3(opencv.Position, back.Position, "round-trip position");
            AssertQuat(opencv.Rotation, back.Rotation, "round-trip rotation");
        }

        [TestCaseSource("Poses")]
        public void PoseMapsSourcePointToTarget(Dictionary<string, object> c)
        {
            var unityCase = (Dictionary<string, object>)c["unity"];
            var pose = new RigidPose(TestVectors.ToVec3(unityCase["position_m"]), TestVectors.ToQuat(unityCase["rotation"]));
            var source = TestVectors.ToVec3(((Dictionary<string, object>)c["source_point"])["unity_m"]);
            var target = TestVectors.ToVec3(((Dictionary<string, object>)c["target_point"])["unity_m"]);
            var opencvSource = TestVectors.ToVec3(((Dictionary<string, object>)c["source_point"])["opencv_m"]);

            AssertVec3(target, pose.TransformPoint(source), "target point");
            AssertVec3(source, CoordinateConversion.OpenCvToUnityPoint(opencvSource), "converted source point");
        }

        [TestCaseSource("Points2d")]
        public void Point2dMatchesVector(Dictionary<string, object> c)
        {
            var normalized = TestVectors.ToVec2(c["normalized"]);
            var size = TestVectors.ToVec2(c["image_size_px"]);
            var expectedViewport = TestVectors.ToVec2(c["unity_viewport"]);
            var expectedPixels = TestVectors.ToVec2(c["unity_pixels"]);

            var viewport = CoordinateConversion.NormalizedToViewport(normalized);
            var pixels = CoordinateConversion.NormalizedToUnityPixels(normalized, size.X, size.Y);
            var back = CoordinateConversion.ViewportToNormalized(viewport);

            Assert.That(viewport.X, Is.EqualTo(expectedViewport.X).Within(TestVectors.Tolerance), "viewport x");
            Assert.That(viewport.Y, Is.EqualTo(expectedViewport.Y).Within(TestVectors.Tolerance), "viewport y");
            // Pixel values scale the tolerance by the image size.
            double pixelTolerance = TestVectors.Tolerance * System.Math.Max(size.X, size.Y);
            Assert.That(pixels.X, Is.EqualTo(expectedPixels.X).Within(pixelTolerance), "pixel x");
            Assert.That(pixels.Y, Is.EqualTo(expectedPixels.Y).Within(pixelTolerance), "pixel y");
            Assert.That(back.X, Is.EqualTo(normalized.X).Within(TestVectors.Tolerance), "round-trip x");
            Assert.That(back.Y, Is.EqualTo(normalized.Y).Within(TestVectors.Tolerance), "round-trip y");
        }

        [TestCase(FrameRotation.Deg0, 0.0, 0.0)]
        [TestCase(FrameRotation.Deg90, 1.0, 0.0)]
        [TestCase(FrameRotation.Deg180, 1.0, 1.0)]
        [TestCase(FrameRotation.Deg270, 0.0, 1.0)]
        public void RotateNormalizedMovesTopLeftCorner(FrameRotation rotation, double x, double y)
        {
            var turned = CoordinateConversion.RotateNormalized(new Vec2(0.0, 0.0), rotation);

            Assert.That(turned.X, Is.EqualTo(x).Within(1e-12), "x");
            Assert.That(turned.Y, Is.EqualTo(y).Within(1e-12), "y");
        }

        [Test]
        public void RotateNormalizedQuarterTurnsCompose()
        {
            var point = new Vec2(0.2, 0.7);

            var twice = CoordinateConversion.RotateNormalized(
                CoordinateConversion.RotateNormalized(point, FrameRotation.Deg90), FrameRotation.Deg90);
            var half = CoordinateConversion.RotateNormalized(point, FrameRotation.Deg180);
            var back = CoordinateConversion.RotateNormalized(
                CoordinateConversion.RotateNormalized(point, FrameRotation.Deg90), FrameRotation.Deg270);

            Assert.That(twice.X, Is.EqualTo(half.X).Within(1e-12), "90 + 90 = 180, x");
            Assert.That(twice.Y, Is.EqualTo(half.Y).Within(1e-12), "90 + 90 = 180, y");
            Assert.That(back.X, Is.EqualTo(point.X).Within(1e-12), "90 + 270 = 0, x");
            Assert.That(back.Y, Is.EqualTo(point.Y).Within(1e-12), "90 + 270 = 0, y");
        }

        [Test]
        public void RotateNormalizedMirrorsAfterTurning()
        {
            var turned = CoordinateConversion.RotateNormalized(new Vec2(0.1, 0.3), FrameRotation.Deg90, true);

            // Turning gives (0.7, 0.1); mirroring then flips x.
            Assert.That(turned.X, Is.EqualTo(0.3).Within(1e-12), "x");
            Assert.That(turned.Y, Is.EqualTo(0.1).Within(1e-12), "y");
        }

        [Test]
        public void VectorFileHasEveryConversionSection()
        {
            Assert.That(TestVectors.Cases("points_3d").Count, Is.GreaterThanOrEqualTo(1), "points_3d");
            Assert.That(TestVectors.Cases("rotations").Count, Is.GreaterThanOrEqualTo(1), "rotations");
            Assert.That(TestVectors.Cases("poses").Count, Is.GreaterThanOrEqualTo(1), "poses");
            Assert.That(TestVectors.Cases("points_2d").Count, Is.GreaterThanOrEqualTo(1), "points_2d");
            Assert.AreEqual(1.0, (double)TestVectors.Root["format_version"], "format_version");
        }

        internal static void AssertVec3(Vec3 expected, Vec3 actual, string label)
        {
            double tolerance = TestVectors.Tolerance;
            Assert.That(actual.X, Is.EqualTo(expected.X).Within(tolerance), label + " x");
            Assert.That(actual.Y, Is.EqualTo(expected.Y).Within(tolerance), label + " y");
            Assert.That(actual.Z, Is.EqualTo(expected.Z).Within(tolerance), label + " z");
        }

        internal static void AssertQuat(Quat expected, Quat actual, string label)
        {
            double tolerance = TestVectors.Tolerance;
            Assert.That(actual.X, Is.EqualTo(expected.X).Within(tolerance), label + " x");
            Assert.That(actual.Y, Is.EqualTo(expected.Y).Within(tolerance), label + " y");
            Assert.That(actual.Z, Is.EqualTo(expected.Z).Within(tolerance), label + " z");
            Assert.That(actual.W, Is.EqualTo(expected.W).Within(tolerance), label + " w");
        }
    }
}
