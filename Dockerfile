# The web app in a container: docker build -t colorful-world . && docker run -p 8000:8000 colorful-world
# Another model: docker run -p 8000:8000 -v $PWD/runs:/runs -e COLORFUL_WORLD_MODEL=/runs/lfw/models/last.safetensors colorful-world
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY colorful_world ./colorful_world
# CPU-only torch (no CUDA libraries), at the versions constraints.txt pins
RUN pip install --no-cache-dir --extra-index-url https://download.pytorch.org/whl/cpu -c constraints.txt . \
    && useradd --no-create-home web
USER web
ENV PORT=8000
EXPOSE 8000
CMD ["colorful-world", "serve", "--host", "0.0.0.0", "--workers", "2"]
