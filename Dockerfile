FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic loads the settings, which need keys: throwaway ones made for this step alone, never kept
# in the image (the deployment's own come from its environment at run time).
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    FIELD_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    FIELD_BLIND_INDEX_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
    PHONE_CODE_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
    python manage.py collectstatic --noinput -v0
RUN useradd --system portal && mkdir -p var/media && chown -R portal var  # the media volume takes this owner
USER portal
EXPOSE 8000
