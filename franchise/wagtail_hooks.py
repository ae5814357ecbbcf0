from wagtail import hooks

from .viewsets import franchise_viewset_group


@hooks.register("register_admin_viewset")
def register_franchise_viewsets():
    return franchise_viewset_group


@hooks.register("register_admin_viewset")
def register_document_category_viewset():
    from .exchange_viewsets import document_category_viewset

    return document_category_viewset
