from django.db import migrations


def create_staff_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them now so the groups
    # can hold them on a fresh database.
    from django.contrib.auth.management import create_permissions

    from apps.console.roles import sync_roles

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        app_config.models_module = None
    sync_roles(apps=apps, using=schema_editor.connection.alias)


def remove_staff_roles(apps, schema_editor):
    from apps.console.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_initial"),
        ("companies", "0001_initial"),
        ("audit", "0003_append_only_trigger"),
        ("catalog", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_staff_roles, remove_staff_roles)]
