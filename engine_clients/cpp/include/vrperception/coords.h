// Coordinate conversions between the server's frames and the game engines'.
//
// Server 3D: OpenCV camera frame of the upright view, right-handed:
//   x right, y down, z forward, metres.
// Unity camera-local (left-handed, Y up, metres): (x, -y, z).
// Unreal camera-local (left-handed, X forward, Y right, Z up, centimetres):
//   X = 100 z, Y = 100 x, Z = -100 y.
// Both axis changes M are reflections (det M = -1). A rotation R becomes
// M R M^T, which for a quaternion [x, y, z, w] keeps w and maps the vector
// part v to -(M v): Unity [-x, y, -z, w], Unreal [-z, -x, y, w].
// A pose (rotation, position) mapping source to target frame converts both
// frames with M, so the converted pose maps converted points.
//
// Server 2D: normalised to the image as displayed, origin top-left, y down.
// Unity viewport/UV (origin bottom-left): (x, 1 - y).
// Unreal screen/UV (origin top-left): (x, y).
//
// The Python, C++ and C# implementations are tested against the cases in
// engine_clients/test_vectors.json.
#pragma once

namespace vrperception {
namespace coords {

struct Vec2 {
  double x = 0, y = 0;
};

struct Vec3 {
  double x = 0, y = 0, z = 0;
};

// Unit quaternion, Hamilton convention, w is the scalar part.
struct Quat {
  double x = 0, y = 0, z = 0, w = 1;
};

// Maps a point p of the source frame to rotation * p + position.
struct Pose {
  Vec3 position;  // metres for OpenCV and Unity, centimetres for Unreal
  Quat rotation;
};

constexpr double kUnrealUnitsPerMetre = 100.0;

Vec3 OpenCvToUnity(const Vec3& opencv_m);
Vec3 UnityToOpenCv(const Vec3& unity_m);
Vec3 OpenCvToUnrealCm(const Vec3& opencv_m);
Vec3 UnrealCmToOpenCv(const Vec3& unreal_cm);

Quat OpenCvToUnity(const Quat& opencv);
Quat UnityToOpenCv(const Quat& unity);
Quat OpenCvToUnreal(const Quat& opencv);
Quat UnrealToOpenCv(const Quat& unreal);

Pose OpenCvToUnity(const Pose& opencv);
Pose UnityToOpenCv(const Pose& unity);
Pose OpenCvToUnrealCm(const Pose& opencv);
Pose UnrealCmToOpenCv(const Pose& unreal);

// Rotates p by q and adds nothing else: q * p * q^-1.
Vec3 Rotate(const Quat& q, const Vec3& p);
// rotation * p + position.
Vec3 Apply(const Pose& pose, const Vec3& p);

Vec2 NormalizedToUnityViewport(const Vec2& normalized);
Vec2 NormalizedToUnityPixels(const Vec2& normalized, double width_px,
                             double height_px);
Vec2 NormalizedToUnrealUv(const Vec2& normalized);
Vec2 NormalizedToUnrealPixels(const Vec2& normalized, double width_px,
                              double height_px);

}  // namespace coords
}  // namespace vrperception
