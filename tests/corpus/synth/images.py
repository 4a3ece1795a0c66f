"""Degraded image versions (photo_*.jpg, scan_*.png) of generated PDFs: page 1 only."""
import random
import subprocess
import tempfile

from PIL import Image, ImageChops, ImageFilter


def degrade(pdf, out, kind, seed, dpi=170, angle=1.0):
    rng = random.Random(f"{seed}-{out}")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", pdf, f"{tmp}/p"], check=True)
        import glob
        img = Image.open(sorted(glob.glob(f"{tmp}/p*.png"))[0]).convert("L" if kind == "scan" else "RGB")
        img.load()
    w, h = img.size
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h)).point(lambda v: max(0, v - 200))
    if kind == "scan":
        img = ImageChops.subtract(img, noise)
        img = img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
        img = img.point(lambda v: 255 if v > 215 else v)
        img.save(out, optimize=True)
    else:
        img = ImageChops.subtract(img, Image.merge("RGB", [noise] * 3))
        # warm paper tint and uneven lighting
        tint = Image.new("RGB", (w, h), (250, 244, 228))
        img = ImageChops.multiply(img, tint)
        grad = Image.linear_gradient("L").resize((w, h)).point(lambda v: 255 - v // 7)
        img = ImageChops.multiply(img, Image.merge("RGB", [grad] * 3))
        img = img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(70, 66, 60))
        img = img.filter(ImageFilter.GaussianBlur(0.9))
        img.save(out, quality=60)
